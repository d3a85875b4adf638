import { X509Certificate } from 'node:crypto';
import { InputError, UsageError } from '../../errors.js';
import { encodePem } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { readInputFile } from '../../io/read-input.js';
import { fingerprint256Of, readCertificate } from '../certificate.js';
import { keyFactsOf, keyTypeText } from '../describe/key.js';
import { encodePrivateKey, keysMatch } from '../keys.js';
import { decodeName, formatName } from '../name.js';
import { describeMacData } from './mac.js';
import { describePasswordEncryption, type PasswordEncryption } from './pbe.js';
import {
  decryptPfx,
  parsePfx,
  type PfxCertificate,
  type PfxContents,
  type PfxPrivateKey,
  type PfxStructure,
} from './pfx-read.js';

export interface ImportPfxOptions {
  path: string;
  /** The file's passphrase. */
  passphrase: PassphraseProvider;
  /** Encrypt the extracted key (PKCS#8 PBES2, AES-256-CBC) with this passphrase. */
  keyPassphrase?: string;
  /** Which key to take when the file holds several (a Java keystore of many entries). */
  friendlyName?: string;
}

export interface ImportedCertificate {
  /** `C=UK, O=node.js, CN=localhost`. */
  subject: string;
  issuer: string;
  notAfter: string;
  fingerprint256: string;
  friendlyName: string | null;
}

export interface ImportPfxResult {
  file: string;
  /** PEM PKCS#8, encrypted when keyPassphrase was given; null when the file holds no key. */
  keyPem: string | null;
  /** The certificate of the key (or, without a key, the end of the chain). */
  certificatePem: string;
  /** The other certificates, leaf's issuer first; null when there are none. */
  chainPem: string | null;
  /** `EC P-256`, `RSA 2048 bits, exponent 65537`. */
  keyType: string | null;
  keyEncrypted: boolean;
  certificate: ImportedCertificate;
  chain: ImportedCertificate[];
  /** How the file was protected, e.g. `sha256, 2048 iterations`; null without a MAC. */
  mac: string | null;
  /** The encryption of each encrypted part, e.g. `pbeWithSHA1And40BitRC2-CBC`. */
  algorithms: string[];
  /** The file uses pre-PBES2 algorithms (3DES or RC2 keyed through SHA-1). */
  legacy: boolean;
  /** Bags left out: CRLs, secrets, non-X.509 certificates. */
  otherBags: string[];
}

/**
 * Reads a PKCS#12 file of any vintage, without flags (OpenSSL 3 needs -legacy for RC2 files,
 * and Node cannot load them): checks the MAC, decrypts, and splits the contents into the key,
 * its certificate, and the rest of the chain.
 */
export async function importPfx(options: ImportPfxOptions): Promise<ImportPfxResult> {
  const { path } = options;
  const structure = parsePfx(await readInputFile(path), path);
  const contents = await decryptPfx(structure, options.passphrase);
  const entry = chooseKey(contents.keys, path, options.friendlyName);
  const leaf = findLeaf(contents.certificates, entry, path);
  // In a keystore of several entries, the other keys' certificates are not this key's chain.
  const otherKeys = contents.keys.filter((key) => key !== entry);
  const chain = orderChain(
    leaf,
    contents.certificates.filter(
      (certificate) =>
        certificate !== leaf && !otherKeys.some((key) => certifies(certificate, key)),
    ),
  );
  const algorithms = encryptionAlgorithms(structure, contents);
  return {
    file: path,
    keyPem: entry ? encodeKey(entry, options.keyPassphrase) : null,
    certificatePem: encodePem('CERTIFICATE', leaf.der),
    chainPem:
      chain.length > 0
        ? chain.map((certificate) => encodePem('CERTIFICATE', certificate.der)).join('')
        : null,
    keyType: entry ? keyTypeText(keyFactsOf(entry.key)) : null,
    keyEncrypted: entry !== undefined && options.keyPassphrase !== undefined,
    certificate: imported(leaf, path),
    chain: chain.map((certificate) => imported(certificate, path)),
    mac: structure.macData ? macText(structure) : null,
    algorithms: [...new Set(algorithms.map(shortText))],
    legacy: algorithms.some((algorithm) => algorithm.legacy),
    otherBags: contents.otherBags,
  };
}

// ---------------------------------------------------------------------------------------------

function chooseKey(
  keys: readonly PfxPrivateKey[],
  path: string,
  friendlyName: string | undefined,
): PfxPrivateKey | undefined {
  if (friendlyName !== undefined) {
    const named = keys.find((key) => key.friendlyName === friendlyName);
    if (named) return named;
    throw new InputError(`${path} holds no key named "${friendlyName}"`, {
      hint: `its keys are named: ${namesOf(keys)}`,
    });
  }
  if (keys.length > 1) {
    throw new UsageError(`${path} holds ${keys.length} private keys`, {
      hint: `choose one with --name (${namesOf(keys)})`,
    });
  }
  return keys[0];
}

function namesOf(keys: readonly PfxPrivateKey[]): string {
  return keys
    .map((key) => (key.friendlyName === null ? '(unnamed)' : `"${key.friendlyName}"`))
    .join(', ');
}

/**
 * The key's certificate: the one with its public key, else the one with its localKeyID. With no
 * key, the certificate that issued none of the others (the end of the chain).
 */
function findLeaf(
  certificates: readonly PfxCertificate[],
  entry: PfxPrivateKey | undefined,
  path: string,
): PfxCertificate {
  if (certificates.length === 0) {
    throw new InputError(`${path} holds no certificate`, {
      hint: 'tlskit pfx import needs the certificate of the key in the file',
    });
  }
  if (!entry) {
    const parsed = certificates.map((certificate) => new X509Certificate(certificate.der));
    const issuesNone = (index: number) =>
      !parsed.some(
        (other, otherIndex) =>
          otherIndex !== index && other.checkIssued(parsed[index] as X509Certificate),
      );
    return (
      certificates.find((_, index) => issuesNone(index)) ?? (certificates[0] as PfxCertificate)
    );
  }
  const leaf =
    certificates.find((certificate) => hasPublicKeyOf(certificate, entry)) ??
    certificates.find((certificate) => sharesLocalKeyId(certificate, entry));
  if (!leaf) {
    throw new InputError(`${path}: no certificate in it matches its private key`, {
      hint: 'the file is inconsistent: export it again with the key and its certificate',
    });
  }
  return leaf;
}

/** The certificate is the key's: same public key, or the localKeyID that ties them. */
function certifies(certificate: PfxCertificate, entry: PfxPrivateKey): boolean {
  return hasPublicKeyOf(certificate, entry) || sharesLocalKeyId(certificate, entry);
}

function hasPublicKeyOf(certificate: PfxCertificate, entry: PfxPrivateKey): boolean {
  return keysMatch(entry.key, new X509Certificate(certificate.der).publicKey);
}

function sharesLocalKeyId(certificate: PfxCertificate, entry: PfxPrivateKey): boolean {
  return (
    entry.localKeyId !== null &&
    certificate.localKeyId !== null &&
    certificate.localKeyId.equals(entry.localKeyId)
  );
}

/** Leaf's issuer first, then its issuer, and so on; certificates off that path keep file order. */
function orderChain(leaf: PfxCertificate, others: readonly PfxCertificate[]): PfxCertificate[] {
  const remaining = [...others];
  const ordered: PfxCertificate[] = [];
  let current = new X509Certificate(leaf.der);
  for (;;) {
    const subject = current;
    const index = remaining.findIndex((candidate) =>
      subject.checkIssued(new X509Certificate(candidate.der)),
    );
    if (index < 0) break;
    const [issuer] = remaining.splice(index, 1) as [PfxCertificate];
    ordered.push(issuer);
    current = new X509Certificate(issuer.der);
  }
  return [...ordered, ...remaining];
}

function encodeKey(entry: PfxPrivateKey, passphrase: string | undefined): string {
  // Unencrypted, the PKCS#8 bytes are written exactly as the file held them.
  if (passphrase === undefined) return encodePem('PRIVATE KEY', entry.pkcs8);
  return encodePrivateKey(entry.key, { format: 'pem', passphrase }).toString('utf8');
}

function imported(certificate: PfxCertificate, source: string): ImportedCertificate {
  const { tbsCertificate } = readCertificate(certificate.der, source).certificate;
  return {
    subject: formatName(decodeName(tbsCertificate.subject), 'openssl'),
    issuer: formatName(decodeName(tbsCertificate.issuer), 'openssl'),
    notAfter: tbsCertificate.validity.notAfter.getTime().toISOString(),
    fingerprint256: fingerprint256Of(certificate.der),
    friendlyName: certificate.friendlyName,
  };
}

function encryptionAlgorithms(
  structure: PfxStructure,
  contents: PfxContents,
): PasswordEncryption[] {
  const { source } = structure;
  const ofContents = structure.contents.flatMap((content) =>
    content.kind === 'encrypted' ? [describePasswordEncryption(content.algorithm, source)] : [],
  );
  const ofKeys = contents.keys.flatMap((key) =>
    key.encryptionAlgorithm ? [describePasswordEncryption(key.encryptionAlgorithm, source)] : [],
  );
  return [...ofKeys, ...ofContents];
}

/** `PBES2 (hmacWithSHA256, aes-256-cbc)`, `pbeWithSHA1And40BitRC2-CBC`. */
function shortText(encryption: PasswordEncryption): string {
  const details = [encryption.prf, encryption.cipher].filter(Boolean).join(', ');
  return details ? `${encryption.scheme} (${details})` : encryption.scheme;
}

function macText(structure: PfxStructure): string {
  const mac = describeMacData(
    structure.macData as NonNullable<PfxStructure['macData']>,
    structure.source,
  );
  return `${mac.algorithm}, ${mac.iterations} iterations`;
}
