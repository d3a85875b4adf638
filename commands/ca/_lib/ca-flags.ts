import * as Flags from '@oclif/core/flags';
import {
  CURVES,
  KEY_TYPES,
  type Curve,
  type KeySpec,
  type KeyType,
} from '../../../src/pki/keys.js';
import { commonFlags } from '../../_lib/flags.js';

/** The key a command makes: type, RSA size, EC curve (the CA commands default to EC P-256). */
export const keyFlags = {
  type: Flags.string({ description: 'Key algorithm (default: ec).', options: [...KEY_TYPES] }),
  bits: Flags.integer({ description: 'RSA key size in bits (default 2048).' }),
  curve: Flags.string({ description: 'EC curve (default P-256).', options: [...CURVES] }),
};

/** The KeySpec for keyFlags, or undefined when none was given (the library's default applies). */
export function keySpecOf(flags: {
  type?: string;
  bits?: number;
  curve?: string;
}): KeySpec | undefined {
  if (flags.type === undefined && flags.bits === undefined && flags.curve === undefined) {
    return undefined;
  }
  const type = (flags.type ?? (flags.bits !== undefined ? 'rsa' : 'ec')) as KeyType;
  return { type, bits: flags.bits, curve: flags.curve as Curve | undefined };
}

/** What `ca init` and `ca intermediate` share: the new CA's key, certificate and defaults. */
export const newCaFlags = {
  ...keyFlags,
  subject: Flags.string({
    char: 's',
    description: "The CA's subject: /O=Example/CN=Example Root CA or CN=…,O=….",
    helpValue: 'TEXT',
  }),
  days: Flags.integer({ description: "Lifetime of the CA certificate (default: the profile's)." }),
  pathlen: Flags.integer({
    description: 'Most CA certificates allowed below this one (basicConstraints pathlen).',
    helpValue: 'N',
  }),
  permit: Flags.string({
    description:
      'Name constraint (critical): only names inside this subtree, e.g. DNS:.example.test, ' +
      'IP:10.0.0.0/8, email:example.test (repeatable).',
    multiple: true,
    helpValue: 'TYPE:VALUE',
  }),
  exclude: Flags.string({
    description: 'Name constraint (critical): never names inside this subtree (repeatable).',
    multiple: true,
    helpValue: 'TYPE:VALUE',
  }),
  'crl-url': Flags.string({
    description:
      'CRL distribution point written into every certificate this CA issues (repeatable).',
    multiple: true,
    helpValue: 'URL',
  }),
  'ocsp-url': Flags.string({
    description:
      'OCSP responder (authorityInfoAccess) written into every certificate this CA issues.',
    multiple: true,
    helpValue: 'URL',
  }),
  'default-profile': Flags.string({
    description: 'The profile `ca issue` uses by default (default: server).',
    helpValue: 'NAME|FILE',
  }),
  'default-days': Flags.integer({
    description: "Lifetime `ca issue` gives by default (default: the profile's).",
  }),
  'crl-days': Flags.integer({ description: 'Days from one CRL to the next (default 30).' }),
  encrypt: Flags.boolean({
    description: 'Encrypt the CA key; asks for a passphrase on a terminal.',
  }),
  passout: commonFlags.passout,
};
