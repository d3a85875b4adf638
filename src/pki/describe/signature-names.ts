import { signatureAlgorithmByOid } from '../signature-algorithm.js';

/**
 * OpenSSL's long name for a signature algorithm (`sha256WithRSAEncryption`), as
 * `openssl x509 -text` prints it; the dotted OID when neither table knows it.
 */
export function signatureAlgorithmName(oid: string): string {
  return signatureAlgorithmByOid(oid)?.name ?? OTHER_SIGNATURE_ALGORITHMS[oid] ?? oid;
}

/** Algorithms tlskit reads in others' certificates but never signs with. */
const OTHER_SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.1': 'dsa_with_SHA224',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '2.16.840.1.101.3.4.3.10': 'ecdsa_with_SHA3-256',
  '2.16.840.1.101.3.4.3.11': 'ecdsa_with_SHA3-384',
  '2.16.840.1.101.3.4.3.12': 'ecdsa_with_SHA3-512',
};
