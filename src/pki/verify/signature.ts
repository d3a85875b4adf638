import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { allowsKeyUsage } from './basic-constraints.js';
import type { ChainCertificate } from './chain-certificate.js';
import type { VerifyFailure } from './verdict.js';

/**
 * Whether `issuer` (at `issuerDepth`) signed `subject` (at `depth`), as OpenSSL's
 * internal_verify checks each link: the issuer's keyUsage must allow certificate signing, its
 * public key must load, and the signature must verify with it (Node's X509Certificate.verify,
 * which is OpenSSL's X509_verify: it also refuses a certificate whose two signature algorithm
 * fields differ).
 */
export function signatureFailure(
  subject: ChainCertificate,
  depth: number,
  issuer: ChainCertificate,
  issuerDepth: number,
): VerifyFailure | undefined {
  const selfSignedNonCa = subject === issuer && !issuer.basicConstraints?.ca;
  if (!selfSignedNonCa && !allowsKeyUsage(issuer, KeyUsageFlags.keyCertSign)) {
    return { code: 'KEYUSAGE_NO_CERTSIGN', depth: issuerDepth };
  }
  if (!issuer.publicKey) {
    return { code: 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', depth: issuerDepth };
  }
  if (!verifies(subject, issuer)) {
    return { code: 'CERT_SIGNATURE_FAILURE', depth, detail: `not signed by ${issuer.subjectText}` };
  }
  return undefined;
}

function verifies(subject: ChainCertificate, issuer: ChainCertificate): boolean {
  try {
    return subject.x509.verify(issuer.publicKey as NonNullable<ChainCertificate['publicKey']>);
  } catch {
    // A key Node cannot use for this algorithm: the signature does not verify.
    return false;
  }
}
