import { readChildren, readElement } from '../../pki/describe/der.js';

/** What a stapled OCSP response says (RFC 6960 §4.2.1), read by hand: no OCSP library needed. */
export interface OcspSummary {
  /** OCSPResponseStatus: `successful`, `tryLater`… */
  responseStatus: string;
  /** The first SingleResponse's certStatus. */
  certStatus: 'good' | 'revoked' | 'unknown' | null;
  /** thisUpdate / nextUpdate of that SingleResponse, ISO. */
  thisUpdate: string | null;
  nextUpdate: string | null;
}

const RESPONSE_STATUSES = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  '',
  'sigRequired',
  'unauthorized',
];

/** Null when the bytes are not an OCSP response at all. */
export function summariseOcspResponse(der: Uint8Array): OcspSummary | null {
  try {
    const [status, responseBytes] = readChildren(readElement(der).content);
    const code = status?.content[0] ?? 255;
    const summary: OcspSummary = {
      responseStatus: RESPONSE_STATUSES[code] || `status ${code}`,
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
    };
    if (!responseBytes) return summary;
    // responseBytes [0] EXPLICIT SEQUENCE { responseType OID, response OCTET STRING }.
    const [, response] = readChildren(readElement(responseBytes.content).content);
    if (!response) return summary;
    // BasicOCSPResponse { tbsResponseData ResponseData, … }.
    const basic = readChildren(readElement(response.content).content);
    const responseData = readChildren(basic[0]?.content ?? new Uint8Array());
    // ResponseData { [0] version OPTIONAL, responderID, producedAt, responses, … }.
    const fields = responseData[0]?.tag === 0xa0 ? responseData.slice(1) : responseData;
    const single = readChildren(
      readChildren(fields[2]?.content ?? new Uint8Array())[0]?.content ?? new Uint8Array(),
    );
    // SingleResponse { certID, certStatus, thisUpdate, [0] nextUpdate OPTIONAL, … }.
    const certStatus = single[1]?.tag;
    summary.certStatus =
      certStatus === 0x80
        ? 'good'
        : certStatus === 0xa1
          ? 'revoked'
          : certStatus === 0x82
            ? 'unknown'
            : null;
    summary.thisUpdate = single[2] ? generalizedTime(single[2].content) : null;
    const next = single[3]?.tag === 0xa0 ? readElement(single[3].content) : undefined;
    summary.nextUpdate = next ? generalizedTime(next.content) : null;
    return summary;
  } catch {
    return null;
  }
}

/** `20260101120000Z` → ISO 8601. */
function generalizedTime(content: Uint8Array): string | null {
  const text = Buffer.from(content).toString('latin1');
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.000Z`;
}
