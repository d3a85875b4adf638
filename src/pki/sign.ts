import { randomBytes, type KeyObject } from 'node:crypto';
import { id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { InputError } from '../errors.js';
import type { PassphraseProvider } from '../io/prompter.js';
import { readInputFile } from '../io/read-input.js';
import {
  issueCertificate,
  issuerFromCertificate,
  readCertificate,
  type CertificateIssuer,
  type IssuedCertificate,
} from './certificate.js';
import { readSignableCsrFile, type CertificateRequest } from './csr.js';
import { keysMatch, loadPrivateKey } from './keys.js';
import { decodeName, formatName } from './name.js';
import { loadProfile, type Profile } from './profile.js';
import { formatSan } from './san.js';
import { parseSerial, randomSerial } from './serial.js';
import type { Digest } from './signature-algorithm.js';
import { resolveValidity } from './validity.js';

/** Self-signed with the CSR's own key (`openssl x509 -req -signkey`), or by a CA (`-CA -CAkey`). */
export type Signer = { selfKeyPath: string } | { caCertificatePath: string; caKeyPath: string };

export interface SignOptions {
  csrPath: string;
  signer: Signer;
  /** Asked only if the signing key is encrypted. */
  passphrase?: PassphraseProvider;
  /** A built-in profile name or a path to a profile file; default "server". */
  profile?: string;
  /** Lifetime in days; default the profile's. */
  days?: number;
  /** Time specs (see parseTimeSpec): `2026-01-01`, `20260101000000Z`, `-1d`, `+30d`… */
  notBefore?: string;
  notAfter?: string;
  /** Hex; default 128 random bits. */
  serial?: string;
  digest?: Digest;
  allowWeak?: boolean;
  /** The clock, injected so tests pin dates. */
  now?: Date;
  random?: (size: number) => Buffer;
}

export interface SignResult {
  /** `C=UK, O=node.js, CN=localhost` (encoding order, as the CSR command prints it). */
  subject: string;
  issuer: string;
  selfSigned: boolean;
  /** Uppercase hex, as `openssl x509 -noout -serial` prints it. */
  serial: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  profile: string;
  /** `DNS:localhost`, `IP:127.0.0.1`, `email:…`, `URI:…` (openssl's spelling). */
  sans: string[];
  signatureAlgorithm: string;
  fingerprint256: string;
  pem: string;
  der: Buffer;
}

export const DEFAULT_SIGN_PROFILE = 'server';

/**
 * Turns a CSR into a certificate: checks the request's signature, the signer's key (it must be
 * the CSR's own key for a self-signed certificate, or the CA certificate's key), and issues
 * under the profile. The subject is copied exactly and the requested subjectAltName carried over
 * whole; other requested extensions are ignored, since the profile, not the requester, decides
 * what the certificate may do.
 */
export async function signCertificateRequest(options: SignOptions): Promise<SignResult> {
  const now = options.now ?? new Date();
  const serial = options.serial
    ? parseSerial(options.serial)
    : randomSerial(options.random ?? randomBytes);
  const profile = await loadProfile(options.profile ?? DEFAULT_SIGN_PROFILE);
  const validity = resolveValidity(
    { days: options.days, notBefore: options.notBefore, notAfter: options.notAfter },
    now,
    profile.validityDays,
  );
  const csr = await readSignableCsrFile(options.csrPath);
  const issuer = await resolveIssuer(options, csr, profile);
  const san = csr.requestedExtensions.find(
    (extension) => extension.extnID === id_ce_subjectAltName,
  );
  const issued = await issueCertificate({
    subject: csr.subject,
    publicKey: csr.publicKey,
    issuer,
    profile,
    validity,
    serial,
    digest: options.digest,
    allowWeak: options.allowWeak,
    extraExtensions: san ? [san] : [],
  });
  return describeResult(csr, issuer, profile, issued, 'selfKeyPath' in options.signer);
}

async function resolveIssuer(
  options: SignOptions,
  csr: CertificateRequest,
  profile: Profile,
): Promise<CertificateIssuer> {
  const { signer } = options;
  if ('selfKeyPath' in signer) {
    const key = await loadKey(signer.selfKeyPath, options.passphrase);
    if (!keysMatch(key, csr.publicKey)) {
      throw new InputError(`${signer.selfKeyPath} does not match the CSR's public key`, {
        hint: 'give the key the request was made with',
      });
    }
    return { name: csr.subject, key };
  }
  const ca = readCertificate(
    await readInputFile(signer.caCertificatePath),
    signer.caCertificatePath,
  );
  const key = await loadKey(signer.caKeyPath, options.passphrase);
  return issuerFromCertificate(ca, key, signer.caKeyPath, profile);
}

async function loadKey(
  path: string,
  passphrase: PassphraseProvider | undefined,
): Promise<KeyObject> {
  return loadPrivateKey(await readInputFile(path), { source: path, passphrase });
}

function describeResult(
  csr: CertificateRequest,
  issuer: CertificateIssuer,
  profile: Profile,
  issued: IssuedCertificate,
  selfSigned: boolean,
): SignResult {
  return {
    subject: csr.subjectText,
    issuer: formatName(decodeName(issuer.name), 'openssl'),
    selfSigned,
    serial: issued.serialHex,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    profile: profile.name,
    sans: csr.sans.map(formatSan),
    signatureAlgorithm: issued.signatureAlgorithm.name,
    fingerprint256: issued.fingerprint256,
    pem: issued.pem,
    der: issued.der,
  };
}
