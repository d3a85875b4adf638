import { ByteReader } from '../wire/byte-reader.js';

/** What a stapled OCSP response says (RFC 6960 §4.2.1), read by hand: no ASN.1 library to load. */
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
const CERT_STATUSES = { 0x80: 'good', 0xa1: 'revoked', 0x82: 'unknown' } as const;

/** Null when the bytes are not an OCSP response at all. */
export function summariseOcspResponse(der: Uint8Array): OcspSummary | null {
  try {
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT … OPTIONAL }
    const [status, responseBytes] = children(element(new ByteReader(der, 'OCSPResponse')).content);
    const code = status?.content.u8('responseStatus') ?? 255;
    const summary: OcspSummary = {
      responseStatus: RESPONSE_STATUSES[code] || `status ${code}`,
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
    };
    if (!responseBytes) return summary;
    // ResponseBytes ::= SEQUENCE { responseType OID, response OCTET STRING (BasicOCSPResponse) }
    const [, response] = children(element(responseBytes.content).content);
    if (!response) return summary;
    // BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, … }
    const [responseData] = children(element(response.content).content);
    if (!responseData) return summary;
    // ResponseData ::= SEQUENCE { [0] version OPTIONAL, responderID, producedAt, responses, … }
    const fields = children(responseData.content);
    const [, , responses] = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
    const [single] = responses ? children(responses.content) : [];
    if (!single) return summary;
    // SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, [0] nextUpdate OPTIONAL, … }
    const [, certStatus, thisUpdate, nextUpdate] = children(single.content);
    const statusTag = certStatus?.tag as keyof typeof CERT_STATUSES | undefined;
    summary.certStatus = statusTag === undefined ? null : (CERT_STATUSES[statusTag] ?? null);
    summary.thisUpdate = thisUpdate ? generalizedTime(thisUpdate.content.rest()) : null;
    summary.nextUpdate =
      nextUpdate?.tag === 0xa0 ? generalizedTime(element(nextUpdate.content).content.rest()) : null;
    return summary;
  } catch {
    return null;
  }
}

interface DerElement {
  tag: number;
  content: ByteReader;
}

/** One DER element: its tag and its content as a bounded reader (definite lengths only). */
function element(reader: ByteReader): DerElement {
  const tag = reader.u8('tag');
  const first = reader.u8('length');
  let length = first;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 3) throw reader.fail('unsupported DER length');
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 0x100 + reader.u8('length');
  }
  return { tag, content: reader.sub(length, `element 0x${tag.toString(16)}`) };
}

function children(reader: ByteReader): DerElement[] {
  return reader.list(element);
}

/** `20260101120000Z` → ISO 8601. */
function generalizedTime(content: Uint8Array): string | null {
  const text = Buffer.from(content).toString('latin1');
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.000Z`;
}
