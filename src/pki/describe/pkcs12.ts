import { X509Certificate } from 'node:crypto';
import { id_pkcs8ShroudedKeyBag, type SafeBag } from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { InputError } from '../../errors.js';
import { encodePem, readDerHeader } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import type { TreeNode } from '../../render/text-tree.js';
import { readCertificate } from '../certificate.js';
import { keysMatch } from '../keys.js';
import { describeMacData, type MacDescription } from '../pkcs12/mac.js';
import {
  describePasswordEncryption,
  passwordEncryptionText,
  type PasswordEncryption,
} from '../pkcs12/pbe.js';
import {
  BAG_TYPE_NAMES,
  bagAttributesOf,
  decryptPfx,
  parseAs,
  parsePfx,
  type PfxContents,
  type PfxStructure,
} from '../pkcs12/pfx-read.js';
import type { DescribeOptions } from './describe-options.js';
import { colonHex, formatUtc, hexOf } from './format.js';
import { keyFactsOf, keyTypeText, type KeyFacts } from './key.js';
import { nameStringOf } from './names.js';

export interface Pkcs12BagDescription {
  /** `certBag`, `pkcs8ShroudedKeyBag`, `keyBag`, `crlBag`…, or the OID of an unknown type. */
  type: string;
  friendlyName: string | null;
  /** Hex. */
  localKeyId: string | null;
  /** How a pkcs8ShroudedKeyBag is encrypted; null for other bags. */
  encryption: PasswordEncryption | null;
}

/** One entry of the AuthenticatedSafe. */
export interface Pkcs12SafeDescription {
  /** `data` is readable without the password; `encrypted` is an EncryptedData. */
  kind: 'data' | 'encrypted';
  encryption: PasswordEncryption | null;
  /** Null for encrypted contents when no passphrase was given. */
  bags: Pkcs12BagDescription[] | null;
}

export interface Pkcs12KeyDescription extends KeyFacts {
  /** `EC P-256`, `RSA 2048 bits, exponent 65537`. */
  keyTypeText: string;
  friendlyName: string | null;
  localKeyId: string | null;
}

export interface Pkcs12CertificateDescription {
  subjectString: string;
  issuerString: string;
  notAfter: string;
  fingerprint256: string;
  friendlyName: string | null;
  localKeyId: string | null;
  /** Its public key is that of a private key in the file. */
  matchesKey: boolean;
  pem?: string;
}

/** A PKCS#12 (PFX) file as JSON; the keys and certificates only when it was decrypted. */
export interface Pkcs12Description {
  kind: 'pkcs12';
  /** Null for a file without a MAC (nothing vouches for its integrity). */
  mac: MacDescription | null;
  safes: Pkcs12SafeDescription[];
  /** Uses pre-PBES2 algorithms (3DES or RC2 through SHA-1) or a SHA-1 MAC. */
  legacy: boolean;
  /** Uses RC2 or RC4: OpenSSL 3 needs -legacy to read it, and Node's tls cannot load it. */
  needsLegacyProvider: boolean;
  /** A passphrase was given and opened the file. */
  decrypted: boolean;
  keys: Pkcs12KeyDescription[];
  certificates: Pkcs12CertificateDescription[];
}

export interface DescribePkcs12Options extends DescribeOptions {
  /**
   * When given, the file is decrypted (asked once) and its keys and certificates described;
   * without it, only what needs no password. A wrong passphrase is a WrongPassphraseError.
   */
  passphrase?: PassphraseProvider;
}

/**
 * True when the DER looks like a PFX: SEQUENCE { INTEGER 3, SEQUENCE { OID … } … }. A cheap
 * test for choosing the describer; describePkcs12 still checks everything.
 */
export function looksLikePkcs12(der: Uint8Array): boolean {
  const outer = readDerHeader(der);
  if (outer?.tag !== 0x30) return false;
  const version = readDerHeader(der, outer.contentStart);
  if (version?.tag !== 0x02 || version.contentLength !== 1 || der[version.contentStart] !== 3) {
    return false;
  }
  const authSafe = readDerHeader(der, version.end);
  return authSafe?.tag === 0x30 && readDerHeader(der, authSafe.contentStart)?.tag === 0x06;
}

export async function describePkcs12(
  der: Uint8Array,
  options: DescribePkcs12Options,
): Promise<Pkcs12Description> {
  const { source } = options;
  const structure = parsePfx(der, source);
  const contents = options.passphrase ? await decryptPfx(structure, options.passphrase) : undefined;
  const safes = structure.contents.map((content, index): Pkcs12SafeDescription => {
    const where = `${source}: AuthenticatedSafe entry #${index + 1}`;
    const bags = content.kind === 'data' ? content.bags : contents?.safes[index];
    return {
      kind: content.kind,
      encryption:
        content.kind === 'encrypted' ? describePasswordEncryption(content.algorithm, where) : null,
      bags: bags
        ? bags.map((bag, bagIndex) => describeBag(bag, `${where}, bag #${bagIndex + 1}`))
        : null,
    };
  });
  const mac = structure.macData ? describeMacData(structure.macData, source) : null;
  const encryptions = safes.flatMap((safe) => [
    ...(safe.encryption ? [safe.encryption] : []),
    ...(safe.bags ?? []).flatMap((bag) => (bag.encryption ? [bag.encryption] : [])),
  ]);
  return {
    kind: 'pkcs12',
    mac,
    safes,
    legacy: mac?.algorithm === 'sha1' || encryptions.some((encryption) => encryption.legacy),
    needsLegacyProvider: encryptions.some((encryption) => encryption.needsLegacyProvider),
    decrypted: contents !== undefined,
    keys: contents ? describeKeys(contents) : [],
    certificates: contents ? describeCertificates(contents, structure, options) : [],
  };
}

export function pkcs12Tree(pkcs12: Pkcs12Description, heading: string): TreeNode {
  const children: TreeNode[] = [
    pkcs12.mac
      ? {
          label: 'MAC',
          value: `HMAC-${pkcs12.mac.algorithm.toUpperCase()}, ${pkcs12.mac.iterations} iterations, ${pkcs12.mac.saltBytes}-byte salt`,
          tone: pkcs12.mac.algorithm === 'sha1' ? 'warning' : 'good',
        }
      : { label: 'MAC', value: 'none (nothing vouches for the contents)', tone: 'bad' },
    formatNode(pkcs12),
    ...pkcs12.safes.map(safeTree),
  ];
  if (pkcs12.decrypted) {
    children.push(
      { label: `Private keys (${pkcs12.keys.length})`, children: pkcs12.keys.map(keyTree) },
      {
        label: `Certificates (${pkcs12.certificates.length})`,
        children: pkcs12.certificates.map(certificateTree),
      },
    );
  } else {
    children.push({
      label: 'Contents',
      value: 'encrypted (give the passphrase to list the keys and certificates)',
      tone: 'muted',
    });
  }
  return { label: heading, children };
}

// ---------------------------------------------------------------------------------------------

function describeBag(bag: SafeBag, where: string): Pkcs12BagDescription {
  const { friendlyName, localKeyId } = bagAttributesOf(bag, where);
  let encryption: PasswordEncryption | null = null;
  if (bag.bagId === id_pkcs8ShroudedKeyBag) {
    const shrouded = parseAs(
      bag.bagValue,
      EncryptedPrivateKeyInfo,
      (cause) => new InputError(`${where} is malformed`, { cause }),
    );
    encryption = describePasswordEncryption(shrouded.encryptionAlgorithm, where);
  }
  return {
    type: BAG_TYPE_NAMES[bag.bagId] ?? bag.bagId,
    friendlyName,
    localKeyId: localKeyId ? hexOf(localKeyId) : null,
    encryption,
  };
}

function describeKeys(contents: PfxContents): Pkcs12KeyDescription[] {
  return contents.keys.map((entry) => {
    const facts = keyFactsOf(entry.key);
    return {
      ...facts,
      keyTypeText: keyTypeText(facts),
      friendlyName: entry.friendlyName,
      localKeyId: entry.localKeyId ? hexOf(entry.localKeyId) : null,
    };
  });
}

function describeCertificates(
  contents: PfxContents,
  structure: PfxStructure,
  options: DescribeOptions,
): Pkcs12CertificateDescription[] {
  return contents.certificates.map((certificate, index) => {
    const { certificate: parsed, publicKey } = readCertificate(
      certificate.der,
      `${structure.source}: certificate #${index + 1}`,
    );
    const description: Pkcs12CertificateDescription = {
      subjectString: nameStringOf(parsed.tbsCertificate.subject),
      issuerString: nameStringOf(parsed.tbsCertificate.issuer),
      notAfter: parsed.tbsCertificate.validity.notAfter.getTime().toISOString(),
      fingerprint256: new X509Certificate(certificate.der).fingerprint256,
      friendlyName: certificate.friendlyName,
      localKeyId: certificate.localKeyId ? hexOf(certificate.localKeyId) : null,
      matchesKey: contents.keys.some((entry) => keysMatch(entry.key, publicKey)),
    };
    if (options.includePem) description.pem = encodePem('CERTIFICATE', certificate.der);
    return description;
  });
}

function formatNode(pkcs12: Pkcs12Description): TreeNode {
  if (!pkcs12.legacy) return { label: 'Format', value: 'modern (PBES2)', tone: 'good' };
  const reach = pkcs12.needsLegacyProvider
    ? 'OpenSSL 3 needs -legacy, and Node cannot load it'
    : 'OpenSSL 3 and Node still load it';
  return { label: 'Format', value: `legacy (${reach})`, tone: 'warning' };
}

function safeTree(safe: Pkcs12SafeDescription, index: number): TreeNode {
  const label = `#${index + 1} ${safe.kind === 'data' ? 'Data' : 'EncryptedData'}`;
  const bags: TreeNode[] =
    safe.bags === null
      ? [{ label: 'bags', value: 'encrypted', tone: 'muted' }]
      : safe.bags.map((bag) => ({ label: bag.type, value: bagText(bag) }));
  return {
    label,
    ...(safe.encryption ? { value: passwordEncryptionText(safe.encryption) } : {}),
    children: bags,
  };
}

function bagText(bag: Pkcs12BagDescription): string {
  const parts = [
    bag.friendlyName === null ? null : `"${bag.friendlyName}"`,
    bag.localKeyId === null ? null : `localKeyID ${colonHex(bag.localKeyId)}`,
    bag.encryption ? passwordEncryptionText(bag.encryption) : null,
  ];
  return parts.filter(Boolean).join(', ') || '-';
}

function keyTree(key: Pkcs12KeyDescription): TreeNode {
  const name = key.friendlyName === null ? '' : ` "${key.friendlyName}"`;
  return {
    label: `${key.keyTypeText}${name}`,
    children: [{ label: 'Public key SHA-256', value: colonHex(key.publicKeySha256) }],
  };
}

function certificateTree(certificate: Pkcs12CertificateDescription): TreeNode {
  const role = certificate.matchesKey ? " (the key's certificate)" : '';
  return {
    label: `${certificate.subjectString}${role}`,
    children: [
      { label: 'Issuer', value: certificate.issuerString },
      { label: 'Not after', value: formatUtc(certificate.notAfter) },
      { label: 'SHA-256 fingerprint', value: certificate.fingerprint256 },
      ...(certificate.friendlyName === null
        ? []
        : [{ label: 'Friendly name', value: certificate.friendlyName }]),
    ],
  };
}
