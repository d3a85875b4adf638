import type { ChainCertificate } from './chain-certificate.js';
import type { VerifyFailure } from './verdict.js';

/**
 * A certificate's validity period against the verification time, as OpenSSL compares them
 * (x509_check_cert_time): valid from notBefore inclusive until notAfter exclusive.
 */
export function validityFailure(
  certificate: ChainCertificate,
  depth: number,
  at: Date,
): VerifyFailure | undefined {
  if (certificate.notBefore.getTime() > at.getTime()) {
    return {
      code: 'CERT_NOT_YET_VALID',
      depth,
      detail: `not before ${certificate.notBefore.toISOString()}`,
    };
  }
  if (certificate.notAfter.getTime() <= at.getTime()) {
    return {
      code: 'CERT_HAS_EXPIRED',
      depth,
      detail: `not after ${certificate.notAfter.toISOString()}`,
    };
  }
  return undefined;
}

/** Valid at `at`: how path building prefers one candidate issuer over another. */
export function validAt(certificate: ChainCertificate, at: Date): boolean {
  return validityFailure(certificate, 0, at) === undefined;
}
