import { InputError } from '../../errors.js';
import { decodePem, looksLikePem } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { readInputFile } from '../../io/read-input.js';
import { fingerprint256Of, readCertificate, type CertificateDetails } from '../certificate.js';
import { keyFactsOf, keyTypeText } from '../describe/key.js';
import { keysMatch, loadPrivateKey } from '../keys.js';
import { decodeName, formatName } from '../name.js';
import {
  buildPfx,
  LEGACY_3DES_PFX_ENCRYPTION,
  LEGACY_PFX_ENCRYPTION,
  localKeyIdOf,
  MODERN_PFX_ENCRYPTION,
  type PfxEncryption,
} from './pfx-build.js';
import type { EncryptionScheme } from './pbe.js';

/**
 * `modern`: OpenSSL 3's algorithms (PBES2 AES-256-CBC, SHA-256 MAC). `legacy`: what
 * `openssl pkcs12 -legacy` writes (3DES key, RC2-40 certificates, SHA-1 MAC), for old Java and
 * Windows and Apple's Keychain. `legacy-3des`: the same with 3DES certificates, which OpenSSL 3
 * and Node also load, without their legacy provider.
 */
export const PFX_FORMATS = ['modern', 'legacy', 'legacy-3des'] as const;
export type PfxFormat = (typeof PFX_FORMATS)[number];

export interface ExportPfxOptions {
  keyPath: string;
  /** The certificate; a file holding its chain too is fine (the one matching the key is the leaf). */
  certificatePath: string;
  /** More certificates for the chain (intermediates, root), PEM bundles or DER. */
  chainPaths?: readonly string[];
  /** Asked only if the key file is encrypted. */
  keyPassphrase?: PassphraseProvider;
  /**
   * The new file's passphrase, asked once the inputs have been checked. An empty one (only when
   * the caller has allowed an unprotected file) is written as OpenSSL's `-passout pass:` is.
   */
  passphrase: PassphraseProvider;
  /** Default: the certificate's common name. */
  friendlyName?: string;
  format?: PfxFormat;
  random?: (size: number) => Buffer;
}

export interface ExportedCertificate {
  /** `C=UK, O=node.js, CN=localhost`. */
  subject: string;
  fingerprint256: string;
}

export interface ExportPfxResult {
  der: Buffer;
  format: PfxFormat;
  /** `EC P-256`, `RSA 2048 bits, exponent 65537`. */
  keyType: string;
  friendlyName: string | null;
  /** Hex SHA-1 of the certificate: ties the key to it for Windows, macOS and Java. */
  localKeyId: string;
  certificate: ExportedCertificate;
  chain: ExportedCertificate[];
  /** `PBES2, PBKDF2 with hmacWithSHA256, aes-256-cbc, 2048 iterations`. */
  keyEncryption: string;
  certificateEncryption: string;
  /** `HMAC-SHA256, 2048 iterations`. */
  mac: string;
  /** Node's tls (`pfx`) and OpenSSL 3 without -legacy can load it (not so with RC2). */
  nodeCanLoad: boolean;
  /** The file has no password (`--no-password --insecure`). */
  unprotected: boolean;
}

/**
 * Bundles a key, its certificate and the chain into a PKCS#12 file, like
 * `openssl pkcs12 -export`. The key must be the certificate's: a mismatch is an InputError
 * naming both files.
 */
export async function exportPfx(options: ExportPfxOptions): Promise<ExportPfxResult> {
  const format = options.format ?? 'modern';
  const key = await loadPrivateKey(await readInputFile(options.keyPath), {
    source: options.keyPath,
    passphrase: options.keyPassphrase,
  });
  const given = await readCertificateFile(options.certificatePath);
  const leaf = given.find((candidate) => keysMatch(key, candidate.publicKey));
  if (!leaf) throw mismatch(options.keyPath, options.certificatePath, given.length);
  const others = [...given, ...(await readCertificateFiles(options.chainPaths ?? []))];
  const chain = withoutDuplicates(others.filter((candidate) => !candidate.der.equals(leaf.der)));
  const friendlyName = options.friendlyName ?? commonNameOf(leaf) ?? null;
  const encryption = ENCRYPTIONS[format];
  const passphrase = await options.passphrase('passphrase for the PKCS#12 file');
  const der = buildPfx({
    key,
    certificate: leaf.der,
    chain: chain.map((certificate) => certificate.der),
    passphrase,
    friendlyName: friendlyName ?? undefined,
    encryption,
    random: options.random,
  });
  return {
    der,
    format,
    keyType: keyTypeText(keyFactsOf(key)),
    friendlyName,
    localKeyId: localKeyIdOf(leaf.der).toString('hex'),
    certificate: exported(leaf),
    chain: chain.map(exported),
    keyEncryption: schemeText(encryption.key),
    certificateEncryption: schemeText(encryption.certificates),
    mac: `HMAC-${encryption.mac.hash.toUpperCase()}, ${encryption.mac.iterations} iterations`,
    nodeCanLoad: format !== 'legacy',
    unprotected: passphrase === '',
  };
}

// ---------------------------------------------------------------------------------------------

const ENCRYPTIONS: Record<PfxFormat, PfxEncryption> = {
  modern: MODERN_PFX_ENCRYPTION,
  legacy: LEGACY_PFX_ENCRYPTION,
  'legacy-3des': LEGACY_3DES_PFX_ENCRYPTION,
};

/** Every certificate in a file: the CERTIFICATE blocks of PEM, or one DER certificate. */
async function readCertificateFile(path: string): Promise<CertificateDetails[]> {
  const data = await readInputFile(path);
  if (!looksLikePem(data)) return [readCertificate(data, path)];
  const blocks = decodePem(data.toString('utf8'), path).filter(
    (block) => block.label === 'CERTIFICATE',
  );
  if (blocks.length === 0) {
    throw new InputError(`${path} holds no certificate`, {
      hint: 'give certificates in PEM (-----BEGIN CERTIFICATE-----) or DER',
    });
  }
  return blocks.map((block, index) =>
    readCertificate(block.der, blocks.length > 1 ? `${path} block #${index + 1}` : path),
  );
}

async function readCertificateFiles(paths: readonly string[]): Promise<CertificateDetails[]> {
  const files = await Promise.all(paths.map(readCertificateFile));
  return files.flat();
}

function withoutDuplicates(certificates: CertificateDetails[]): CertificateDetails[] {
  return certificates.filter(
    (certificate, index) =>
      certificates.findIndex((other) => other.der.equals(certificate.der)) === index,
  );
}

function mismatch(keyPath: string, certificatePath: string, count: number): InputError {
  const what = count === 1 ? certificatePath : `any certificate in ${certificatePath}`;
  return new InputError(`${keyPath} does not match ${what}`, {
    hint: "give the certificate's own private key",
  });
}

/** The last (most specific) CN: a name people recognise, where keytool would say "1". */
function commonNameOf(certificate: CertificateDetails): string | undefined {
  return decodeName(certificate.subject)
    .flat()
    .filter((attribute) => attribute.type === 'CN')
    .at(-1)?.value;
}

function exported(certificate: CertificateDetails): ExportedCertificate {
  return {
    subject: formatName(decodeName(certificate.subject), 'openssl'),
    fingerprint256: fingerprint256Of(certificate.der),
  };
}

function schemeText(scheme: EncryptionScheme): string {
  const iterations = `${scheme.iterations} iterations`;
  if (scheme.kind === 'pkcs12-pbe') return `${scheme.scheme}, ${iterations}`;
  return `PBES2, PBKDF2 with hmacWith${scheme.prf.toUpperCase()}, ${scheme.cipher}, ${iterations}`;
}
