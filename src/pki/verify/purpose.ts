import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { allowsKeyUsage, caStatusOf, NetscapeCertType } from './basic-constraints.js';
import type { ChainCertificate } from './chain-certificate.js';

/** What the certificate is verified for: `openssl verify -purpose sslserver|sslclient`. */
export type VerifyPurpose = 'server' | 'client';

export const VERIFY_PURPOSES: readonly VerifyPurpose[] = ['server', 'client'];

/**
 * OpenSSL's check_purpose_ssl_server / _client (v3_purp.c). An extendedKeyUsage, where present,
 * must list the purpose (for CAs too: an intermediate limited to clientAuth cannot vouch for a
 * server). A leaf's keyUsage must allow a TLS key exchange (server: digitalSignature,
 * keyEncipherment or keyAgreement; client: digitalSignature or keyAgreement), and a Netscape
 * certificate type must allow the role. A CA must be one (see caStatusOf).
 */
export function allowsPurpose(
  certificate: ChainCertificate,
  purpose: VerifyPurpose,
  mustBeCa: boolean,
): boolean {
  const rule = RULES[purpose];
  if (
    certificate.extendedKeyUsage &&
    !certificate.extendedKeyUsage.some((oid) => rule.keyPurposes.includes(oid))
  ) {
    return false;
  }
  if (mustBeCa) return sslCaAllowed(certificate);
  if (!allowsKeyUsage(certificate, rule.keyUsages)) return false;
  return (
    certificate.netscapeCertType === undefined ||
    (certificate.netscapeCertType & rule.netscapeType) !== 0
  );
}

// ---------------------------------------------------------------------------------------------

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
/** Server-gated cryptography: old Netscape and Microsoft purposes that OpenSSL still honours. */
const NETSCAPE_SGC = '2.16.840.1.113730.4.1';
const MICROSOFT_SGC = '1.3.6.1.4.1.311.10.3.3';

const RULES: Record<
  VerifyPurpose,
  { keyPurposes: string[]; keyUsages: number; netscapeType: number }
> = {
  server: {
    keyPurposes: [SERVER_AUTH, NETSCAPE_SGC, MICROSOFT_SGC],
    keyUsages:
      KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment | KeyUsageFlags.keyAgreement,
    netscapeType: NetscapeCertType.sslServer,
  },
  client: {
    keyPurposes: [CLIENT_AUTH],
    keyUsages: KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement,
    netscapeType: NetscapeCertType.sslClient,
  },
};

/** check_ssl_ca: a CA; one that is a CA only by its Netscape type must have the SSL CA bit. */
function sslCaAllowed(certificate: ChainCertificate): boolean {
  const status = caStatusOf(certificate);
  if (status === 'no') return false;
  return (
    status !== 'netscape-ca' || ((certificate.netscapeCertType ?? 0) & NetscapeCertType.sslCa) !== 0
  );
}
