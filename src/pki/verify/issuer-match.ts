import type { KeyObject } from 'node:crypto';
import type { AuthorityKeyId, ChainCertificate } from './chain-certificate.js';
import { namesMatch } from './name-canon.js';

/**
 * Whether `issuer` plausibly issued `subject`, before any signature is checked: OpenSSL's
 * ossl_x509_likely_issued, which path building uses to pick candidates. The issuer's subject
 * must equal the subject's issuer name (canonically), the subject's authorityKeyIdentifier must
 * not contradict the issuer, and the issuer's key type must fit the subject's signature
 * algorithm. A certificate with malformed extensions takes part in no path.
 */
export function likelyIssued(issuer: ChainCertificate, subject: ChainCertificate): boolean {
  return (
    namesMatch(issuer.subject, subject.issuer) &&
    issuer.invalid === undefined &&
    subject.invalid === undefined &&
    akidMatches(issuer, subject.authorityKeyIdentifier) &&
    signatureMatchesKey(subject.signatureOid, issuer.publicKey)
  );
}

/**
 * X509_check_akid: every part the identifier has must match the issuer (a key identifier its
 * subjectKeyIdentifier, if it has one; a serial its serial; a directory name its issuer name).
 */
export function akidMatches(
  issuer: Pick<ChainCertificate, 'subjectKeyIdentifier' | 'serial' | 'issuer'>,
  akid: AuthorityKeyId | undefined,
): boolean {
  if (!akid) return true;
  if (
    akid.keyIdentifier &&
    issuer.subjectKeyIdentifier &&
    !akid.keyIdentifier.equals(issuer.subjectKeyIdentifier)
  ) {
    return false;
  }
  if (akid.serial !== undefined && akid.serial !== issuer.serial) return false;
  return !akid.issuerName || namesMatch(akid.issuerName, issuer.issuer);
}

/** check_sig_alg_match: an RSA signature needs an RSA key, ECDSA an EC key, and so on. */
export function signatureMatchesKey(signatureOid: string, key: KeyObject | undefined): boolean {
  const needed = KEY_TYPE_BY_SIGNATURE.get(signatureOid);
  const type = key?.asymmetricKeyType;
  if (!needed || !type) return false;
  // RSASSA-PSS signatures come from plain RSA keys too; a PSS-only key makes nothing else.
  if (needed === 'rsa-pss') return type === 'rsa' || type === 'rsa-pss';
  return type === needed;
}

// ---------------------------------------------------------------------------------------------

const KEY_TYPE_BY_SIGNATURE = new Map<string, string>([
  ...[
    '1.2.840.113549.1.1.2', // md2WithRSAEncryption
    '1.2.840.113549.1.1.3', // md4WithRSAEncryption
    '1.2.840.113549.1.1.4', // md5WithRSAEncryption
    '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
    '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
    '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
    '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
    '1.2.840.113549.1.1.14', // sha224WithRSAEncryption
    '1.2.840.113549.1.1.15', // sha512-224WithRSAEncryption
    '1.2.840.113549.1.1.16', // sha512-256WithRSAEncryption
    '1.3.14.3.2.29', // sha1WithRSA (OIW)
    '2.16.840.1.101.3.4.3.13', // RSA-SHA3-224
    '2.16.840.1.101.3.4.3.14', // RSA-SHA3-256
    '2.16.840.1.101.3.4.3.15', // RSA-SHA3-384
    '2.16.840.1.101.3.4.3.16', // RSA-SHA3-512
  ].map((oid) => [oid, 'rsa'] as const),
  ['1.2.840.113549.1.1.10', 'rsa-pss'],
  ...[
    '1.2.840.10045.4.1', // ecdsa-with-SHA1
    '1.2.840.10045.4.3.1', // ecdsa-with-SHA224
    '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
    '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
    '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
    '2.16.840.1.101.3.4.3.9', // ecdsa_with_SHA3-224
    '2.16.840.1.101.3.4.3.10', // ecdsa_with_SHA3-256
    '2.16.840.1.101.3.4.3.11', // ecdsa_with_SHA3-384
    '2.16.840.1.101.3.4.3.12', // ecdsa_with_SHA3-512
  ].map((oid) => [oid, 'ec'] as const),
  ...[
    '1.2.840.10040.4.3', // dsa-with-SHA1
    '2.16.840.1.101.3.4.3.1', // dsa_with_SHA224
    '2.16.840.1.101.3.4.3.2', // dsa_with_SHA256
  ].map((oid) => [oid, 'dsa'] as const),
  ['1.3.101.112', 'ed25519'],
  ['1.3.101.113', 'ed448'],
]);
