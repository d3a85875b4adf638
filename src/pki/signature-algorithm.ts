import { sign, verify, type KeyObject } from 'node:crypto';
import { RefusedError, UsageError } from '../errors.js';
import { describeKey, type KeyType } from './keys.js';

export const DIGESTS = ['sha256', 'sha384', 'sha512'] as const;
/** sha1 exists only to make deliberately weak certificates (behind allowWeak). */
export type Digest = (typeof DIGESTS)[number] | 'sha1';

export interface SignatureAlgorithm {
  /** OpenSSL's long name, as `openssl x509 -text` prints it. */
  name: string;
  oid: string;
  keyType: KeyType;
  /** null for EdDSA, which hashes internally. */
  digest: Digest | null;
  /** RSA PKCS#1 v1.5 identifiers carry explicit NULL parameters (RFC 4055); others none. */
  nullParameters: boolean;
}

const ALGORITHMS: readonly SignatureAlgorithm[] = [
  rsa('sha1WithRSAEncryption', '1.2.840.113549.1.1.5', 'sha1'),
  rsa('sha256WithRSAEncryption', '1.2.840.113549.1.1.11', 'sha256'),
  rsa('sha384WithRSAEncryption', '1.2.840.113549.1.1.12', 'sha384'),
  rsa('sha512WithRSAEncryption', '1.2.840.113549.1.1.13', 'sha512'),
  ecdsa('ecdsa-with-SHA1', '1.2.840.10045.4.1', 'sha1'),
  ecdsa('ecdsa-with-SHA256', '1.2.840.10045.4.3.2', 'sha256'),
  ecdsa('ecdsa-with-SHA384', '1.2.840.10045.4.3.3', 'sha384'),
  ecdsa('ecdsa-with-SHA512', '1.2.840.10045.4.3.4', 'sha512'),
  { name: 'ED25519', oid: '1.3.101.112', keyType: 'ed25519', digest: null, nullParameters: false },
  { name: 'ED448', oid: '1.3.101.113', keyType: 'ed448', digest: null, nullParameters: false },
];

/**
 * The algorithm a key signs with. Without an explicit digest, EC keys use the hash that matches
 * their curve's strength (P-384 → SHA-384, P-521 → SHA-512), as Go and step do; RSA uses SHA-256.
 */
export function signatureAlgorithmFor(
  key: KeyObject,
  digest?: Digest,
  options: { allowWeak?: boolean } = {},
): SignatureAlgorithm {
  const description = describeKey(key);
  if (description.type === 'ed25519' || description.type === 'ed448') {
    if (digest) {
      throw new UsageError(`${description.type} keys sign without a separate digest`, {
        hint: 'drop --digest',
      });
    }
    return algorithmOf(description.type, null);
  }
  const chosen = digest ?? defaultDigestFor(description.curve);
  if (chosen === 'sha1' && !options.allowWeak) {
    throw new RefusedError('SHA-1 signatures are broken', {
      hint: 'use sha256 or stronger, or add --allow-weak to make a weak certificate on purpose',
    });
  }
  return algorithmOf(description.type, chosen);
}

export function signatureAlgorithmByOid(oid: string): SignatureAlgorithm | undefined {
  return ALGORITHMS.find((algorithm) => algorithm.oid === oid);
}

/**
 * Signs DER to-be-signed bytes (a TBSCertificate or TBSCertList). The default is signData() with
 * the issuer's key; `tlskit fixtures` passes a deterministic signer (RFC 6979 ECDSA) so that the
 * same inputs give the same bytes.
 */
export type TbsSigner = (
  algorithm: SignatureAlgorithm,
  tbs: Uint8Array,
) => Uint8Array | Promise<Uint8Array>;

export function signData(algorithm: SignatureAlgorithm, key: KeyObject, data: Uint8Array): Buffer {
  return sign(algorithm.digest, data, key);
}

export function verifyData(
  algorithm: SignatureAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return verify(algorithm.digest, data, key, signature);
  } catch {
    // A key of another type, or a malformed signature: either way not a valid signature.
    return false;
  }
}

function defaultDigestFor(curve: string | undefined): Digest {
  if (curve === 'P-384') return 'sha384';
  if (curve === 'P-521') return 'sha512';
  return 'sha256';
}

function algorithmOf(keyType: KeyType, digest: Digest | null): SignatureAlgorithm {
  const found = ALGORITHMS.find((a) => a.keyType === keyType && a.digest === digest);
  if (!found) throw new UsageError(`${keyType} keys cannot sign with ${digest}`);
  return found;
}

function rsa(name: string, oid: string, digest: Digest): SignatureAlgorithm {
  return { name, oid, keyType: 'rsa', digest, nullParameters: true };
}

function ecdsa(name: string, oid: string, digest: Digest): SignatureAlgorithm {
  return { name, oid, keyType: 'ec', digest, nullParameters: false };
}
