import { ByteReader } from '../wire/byte-reader.js';

/**
 * TLS ≤ 1.2 Certificate message (RFC 5246 §7.4.2): `ASN.1Cert certificate_list<0..2^24-1>`, each
 * `opaque ASN.1Cert<1..2^24-1>`, the sender's certificate first. The DER is returned as sent;
 * whether it parses as X.509 is the certificate scanner's business.
 */
export function parseCertificateList(body: Uint8Array): Uint8Array[] {
  const reader = new ByteReader(body, 'Certificate');
  const list = reader.sub24('certificate_list');
  reader.end();
  return list.list((entries) => {
    const der = entries.opaque24('ASN.1Cert');
    if (der.length === 0) throw entries.fail('empty certificate');
    return der.slice();
  });
}

/**
 * CertificateStatus (RFC 6066 §8): `struct { CertificateStatusType status_type; select
 * (status_type) { case ocsp: OCSPResponse } }`, the OCSP response as DER.
 */
export function parseCertificateStatus(body: Uint8Array): {
  statusType: number;
  response: Uint8Array;
} {
  const reader = new ByteReader(body, 'CertificateStatus');
  const statusType = reader.u8('status_type');
  if (statusType !== 1) throw reader.fail(`status_type ${statusType} is not ocsp(1)`);
  const response = reader.opaque24('OCSPResponse').slice();
  reader.end();
  if (response.length === 0) throw reader.fail('empty OCSPResponse');
  return { statusType, response };
}
