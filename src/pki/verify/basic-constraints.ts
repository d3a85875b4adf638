import { KeyUsageFlags } from '@peculiar/asn1-x509';
import type { ChainCertificate } from './chain-certificate.js';

/**
 * How a certificate qualifies as a CA, as OpenSSL's X509_check_ca answers: `no`; `yes` by
 * basicConstraints CA:TRUE; or, without basicConstraints, a version 1 self-signed root, a
 * keyUsage with keyCertSign, or a Netscape CA type. A keyUsage without keyCertSign always means
 * `no` (RFC 5280 §4.2.1.3). Only `yes` may issue below the top of a path (RFC 5280 §6.1.4 (k)).
 */
export type CaStatus = 'no' | 'yes' | 'v1-root' | 'key-usage-only' | 'netscape-ca';

export function caStatusOf(certificate: ChainCertificate): CaStatus {
  if (!allowsKeyUsage(certificate, KeyUsageFlags.keyCertSign)) return 'no';
  if (certificate.basicConstraints) return certificate.basicConstraints.ca ? 'yes' : 'no';
  if (certificate.version === 1 && certificate.selfSigned) return 'v1-root';
  if (certificate.keyUsage !== undefined) return 'key-usage-only';
  if (
    certificate.netscapeCertType !== undefined &&
    certificate.netscapeCertType & NETSCAPE_ANY_CA
  ) {
    return 'netscape-ca';
  }
  return 'no';
}

/** ku_reject's opposite: no keyUsage extension allows everything; else one of `usages` is set. */
export function allowsKeyUsage(certificate: ChainCertificate, usages: number): boolean {
  return certificate.keyUsage === undefined || (certificate.keyUsage & usages) !== 0;
}

/** Netscape certificate type bits (first octet), as OpenSSL numbers them. */
export const NetscapeCertType = {
  sslClient: 0x80,
  sslServer: 0x40,
  sslCa: 0x04,
} as const;

const NETSCAPE_ANY_CA = 0x07;
