/**
 * The algorithms PKCS#12 files use, as data: OIDs, OpenSSL's names and the parameters each
 * needs. RFC 7292 appendix C (the PKCS#12 PBE schemes), RFC 8018 (PBES2, PBKDF2, PBMAC1),
 * RFC 5754 and RFC 8017 (digests).
 */

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface HashAlgorithm {
  name: HashName;
  oid: string;
  /** The hash's input block size: `v` in RFC 7292 appendix B.2. */
  blockBytes: number;
  /** Output size: `u` in RFC 7292 appendix B.2. */
  outputBytes: number;
}

export const HASHES: readonly HashAlgorithm[] = [
  { name: 'sha1', oid: '1.3.14.3.2.26', blockBytes: 64, outputBytes: 20 },
  { name: 'sha224', oid: '2.16.840.1.101.3.4.2.4', blockBytes: 64, outputBytes: 28 },
  { name: 'sha256', oid: '2.16.840.1.101.3.4.2.1', blockBytes: 64, outputBytes: 32 },
  { name: 'sha384', oid: '2.16.840.1.101.3.4.2.2', blockBytes: 128, outputBytes: 48 },
  { name: 'sha512', oid: '2.16.840.1.101.3.4.2.3', blockBytes: 128, outputBytes: 64 },
];

/** PBKDF2's pseudo-random functions (RFC 8018 appendix B.1), by the hash they use. */
export const HMAC_PRF_OIDS: Record<HashName, string> = {
  sha1: '1.2.840.113549.2.7',
  sha224: '1.2.840.113549.2.8',
  sha256: '1.2.840.113549.2.9',
  sha384: '1.2.840.113549.2.10',
  sha512: '1.2.840.113549.2.11',
};

/** A CBC cipher PBES2 may name, with Node's name for it. */
export interface Pbes2Cipher {
  name: 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';
  oid: string;
  keyBytes: number;
  ivBytes: number;
}

export const PBES2_CIPHERS: readonly Pbes2Cipher[] = [
  { name: 'aes-128-cbc', oid: '2.16.840.1.101.3.4.1.2', keyBytes: 16, ivBytes: 16 },
  { name: 'aes-192-cbc', oid: '2.16.840.1.101.3.4.1.22', keyBytes: 24, ivBytes: 16 },
  { name: 'aes-256-cbc', oid: '2.16.840.1.101.3.4.1.42', keyBytes: 32, ivBytes: 16 },
  { name: 'des-ede3-cbc', oid: '1.2.840.113549.3.7', keyBytes: 24, ivBytes: 8 },
];

/** A PKCS#12 PBE scheme (RFC 7292 appendix C): SHA-1 and the PKCS#12 KDF derive key and IV. */
export interface Pkcs12PbeScheme {
  /** OpenSSL's name, as `openssl pkcs12 -info` prints it. */
  name: string;
  oid: string;
  cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2-cbc';
  keyBytes: number;
  /** RC2 only: the effective key length (RFC 2268). */
  effectiveBits?: number;
}

export const PKCS12_PBE_SCHEMES: readonly Pkcs12PbeScheme[] = [
  {
    name: 'pbeWithSHA1And3-KeyTripleDES-CBC',
    oid: '1.2.840.113549.1.12.1.3',
    cipher: 'des-ede3-cbc',
    keyBytes: 24,
  },
  {
    name: 'pbeWithSHA1And2-KeyTripleDES-CBC',
    oid: '1.2.840.113549.1.12.1.4',
    cipher: 'des-ede-cbc',
    keyBytes: 16,
  },
  {
    name: 'pbeWithSHA1And128BitRC2-CBC',
    oid: '1.2.840.113549.1.12.1.5',
    cipher: 'rc2-cbc',
    keyBytes: 16,
    effectiveBits: 128,
  },
  {
    name: 'pbeWithSHA1And40BitRC2-CBC',
    oid: '1.2.840.113549.1.12.1.6',
    cipher: 'rc2-cbc',
    keyBytes: 5,
    effectiveBits: 40,
  },
];

/** Both 3DES and RC2 work on 64-bit blocks: the PKCS#12 KDF derives an 8-byte IV. */
export const PKCS12_PBE_IV_BYTES = 8;

export const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  envelopedData: '1.2.840.113549.1.7.3',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  x509Certificate: '1.2.840.113549.1.9.22.1',
} as const;

/** Names for algorithms tlskit recognises but cannot use, so errors say what they are. */
const UNSUPPORTED_NAMES: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHA1And128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHA1And40BitRC4',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.3.6.1.4.1.11591.4.11': 'scrypt',
  '1.3.14.3.2.7': 'des-cbc',
  '1.2.840.113549.3.2': 'rc2-cbc',
  '1.2.840.113549.2.5': 'md5',
};

export function hashByOid(oid: string): HashAlgorithm | undefined {
  return HASHES.find((hash) => hash.oid === oid);
}

export function hashByName(name: HashName): HashAlgorithm {
  return HASHES.find((hash) => hash.name === name) as HashAlgorithm;
}

export function hashByPrfOid(oid: string): HashAlgorithm | undefined {
  const entry = Object.entries(HMAC_PRF_OIDS).find(([, prf]) => prf === oid);
  return entry ? hashByName(entry[0] as HashName) : undefined;
}

export function pbes2CipherByOid(oid: string): Pbes2Cipher | undefined {
  return PBES2_CIPHERS.find((cipher) => cipher.oid === oid);
}

export function pkcs12PbeSchemeByOid(oid: string): Pkcs12PbeScheme | undefined {
  return PKCS12_PBE_SCHEMES.find((scheme) => scheme.oid === oid);
}

/** `pbeWithSHA1And40BitRC2-CBC`, `aes-256-cbc`, `hmacWithSHA256`… or, unknown, `OID 1.2.3`. */
export function algorithmName(oid: string): string {
  const prf = hashByPrfOid(oid);
  return (
    pkcs12PbeSchemeByOid(oid)?.name ??
    pbes2CipherByOid(oid)?.name ??
    (prf ? `hmacWith${prf.name.toUpperCase()}` : undefined) ??
    hashByOid(oid)?.name ??
    NAMED_OIDS[oid] ??
    UNSUPPORTED_NAMES[oid] ??
    `OID ${oid}`
  );
}

const NAMED_OIDS: Record<string, string> = {
  [OID.pbes2]: 'PBES2',
  [OID.pbkdf2]: 'PBKDF2',
  [OID.pbmac1]: 'PBMAC1',
};
