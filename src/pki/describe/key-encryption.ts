import { DerTag, expectElement, integerOf, oidText, readChildren } from './der.js';

/** How a private key is encrypted, as far as its file says (never the key itself). */
export interface KeyEncryption {
  /** `PBES2`, a PBES1/PKCS#12 scheme name, or `legacy PEM` for Proc-Type headers. */
  scheme: string;
  /** `PBKDF2`, `scrypt`, or for legacy PEM OpenSSL's MD5-based `EVP_BytesToKey`. */
  kdf: string | null;
  /** PBKDF2's pseudo-random function (`hmacWithSHA256`); null when not PBKDF2. */
  prf: string | null;
  iterations: number | null;
  cipher: string | null;
  /** Set when the scheme is weak enough that the key should be re-encrypted. */
  weak: boolean;
}

/** The encryption of an EncryptedPrivateKeyInfo (PKCS#8, RFC 5958), from its DER. */
export function describePkcs8Encryption(der: Uint8Array): KeyEncryption {
  const [algorithm] = readChildren(expectElement(der, DerTag.sequence).content);
  if (!algorithm) throw new RangeError('EncryptedPrivateKeyInfo has no algorithm');
  const [schemeOid, parameters] = readChildren(algorithm.content);
  const scheme = oidText(expectOid(schemeOid));
  if (scheme !== PBES2 || !parameters) {
    const name = PBES1_SCHEMES[scheme] ?? scheme;
    return { scheme: name, kdf: null, prf: null, iterations: null, cipher: null, weak: true };
  }
  const [kdfAlgorithm, cipherAlgorithm] = readChildren(parameters.content);
  if (!kdfAlgorithm || !cipherAlgorithm) throw new RangeError('PBES2 parameters are incomplete');
  const [kdfOid, kdfParameters] = readChildren(kdfAlgorithm.content);
  const kdf = oidText(expectOid(kdfOid));
  const cipher = oidText(expectOid(readChildren(cipherAlgorithm.content)[0]));
  const cipherName = CIPHERS[cipher] ?? cipher;
  const weakCipher = !cipherName.startsWith('aes-');
  if (kdf === PBKDF2 && kdfParameters) {
    const fields = readChildren(kdfParameters.content);
    const iterations = integerOf(expectTag(fields[1], DerTag.integer).content);
    // The PRF is the last field when present; its absence means the default, HMAC-SHA1.
    const last = fields[fields.length - 1];
    const prfOid = last && last.tag === DerTag.sequence ? readChildren(last.content)[0] : undefined;
    const prf = prfOid ? oidText(expectOid(prfOid)) : HMAC_SHA1;
    return {
      scheme: 'PBES2',
      kdf: 'PBKDF2',
      prf: PRFS[prf] ?? prf,
      iterations,
      cipher: cipherName,
      weak: weakCipher || iterations < MIN_ITERATIONS,
    };
  }
  const kdfName = kdf === SCRYPT ? 'scrypt' : kdf;
  return {
    scheme: 'PBES2',
    kdf: kdfName,
    prf: null,
    iterations: null,
    cipher: cipherName,
    weak: weakCipher,
  };
}

/**
 * The encryption of a legacy PEM key (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: AES-256-CBC,IV`):
 * one MD5 round derives the key, so it is weak whatever the cipher.
 */
export function describeLegacyPemEncryption(headers: Record<string, string>): KeyEncryption {
  const cipher = (headers['DEK-Info'] ?? '').split(',')[0]?.toLowerCase() || null;
  return {
    scheme: 'legacy PEM',
    kdf: 'EVP_BytesToKey (MD5)',
    prf: null,
    iterations: 1,
    cipher,
    weak: true,
  };
}

/** Words for the human output: `PBES2, PBKDF2 with hmacWithSHA256, 2048 iterations, aes-256-cbc`. */
export function keyEncryptionText(encryption: KeyEncryption): string {
  const kdf = encryption.prf ? `${encryption.kdf} with ${encryption.prf}` : encryption.kdf;
  const iterations =
    encryption.iterations === null
      ? null
      : `${encryption.iterations} iteration${encryption.iterations === 1 ? '' : 's'}`;
  return [encryption.scheme, kdf, iterations, encryption.cipher].filter(Boolean).join(', ');
}

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';
const HMAC_SHA1 = '1.2.840.113549.2.7';
/** OpenSSL 3 writes 2048; far fewer makes a passphrase cheap to guess. */
const MIN_ITERATIONS = 1000;

const PRFS: Record<string, string> = {
  [HMAC_SHA1]: 'hmacWithSHA1',
  '1.2.840.113549.2.8': 'hmacWithSHA224',
  '1.2.840.113549.2.9': 'hmacWithSHA256',
  '1.2.840.113549.2.10': 'hmacWithSHA384',
  '1.2.840.113549.2.11': 'hmacWithSHA512',
};

const CIPHERS: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  '2.16.840.1.101.3.4.1.42': 'aes-256-cbc',
  '1.2.840.113549.3.7': 'des-ede3-cbc',
  '1.3.14.3.2.7': 'des-cbc',
};

const PBES1_SCHEMES: Record<string, string> = {
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.12.1.3': 'pbeWithSHA1And3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHA1And40BitRC2-CBC',
};

function expectOid(element: { tag: number; content: Uint8Array } | undefined): Uint8Array {
  return expectTag(element, DerTag.oid).content;
}

function expectTag<T extends { tag: number }>(element: T | undefined, tag: number): T {
  if (!element || element.tag !== tag)
    throw new RangeError(`expected DER tag 0x${tag.toString(16)}`);
  return element;
}
