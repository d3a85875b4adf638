import { readDerHeader, type DerHeader } from '../../io/pem.js';

/**
 * A stapled OCSP response (RFC 6960 §4.2.1), described, not trusted: node:tls hands the bytes
 * over without checking the responder's signature, and neither does this.
 */
export interface OcspSummary {
  /** False when the client asked and the server stapled nothing. */
  stapled: boolean;
  bytes: number;
  /** OCSPResponseStatus: "successful", "tryLater", … */
  responseStatus: string | null;
  producedAt: string | null;
  responses: OcspSingleResponse[];
  /** Set when the bytes are not an OCSPResponse this reader understands. */
  malformed: string | null;
  /** The response, base64 DER, for `openssl ocsp -respin`. */
  der: string | null;
}

export interface OcspSingleResponse {
  /** The certificate's serial number, upper-case hex. */
  serialNumber: string;
  certStatus: 'good' | 'revoked' | 'unknown';
  revocationTime: string | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
}

/** RFC 6960 §4.2.1 OCSPResponseStatus. */
const RESPONSE_STATUS: Record<number, string> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

const Tag = {
  sequence: 0x30,
  integer: 0x02,
  enumerated: 0x0a,
  octetString: 0x04,
  generalizedTime: 0x18,
  /** [0] EXPLICIT responseBytes, version, nextUpdate. */
  context0: 0xa0,
  /** CertStatus choices (RFC 6960 §4.2.1): good [0] NULL, revoked [1] RevokedInfo, unknown [2]. */
  good: 0x80,
  revoked: 0xa1,
  unknown: 0x82,
} as const;

export function notStapled(): OcspSummary {
  return {
    stapled: false,
    bytes: 0,
    responseStatus: null,
    producedAt: null,
    responses: [],
    malformed: null,
    der: null,
  };
}

/** Describes the peer's bytes; anything unexpected is reported in `malformed`, never thrown. */
export function describeOcspResponse(der: Buffer): OcspSummary {
  const summary: OcspSummary = { ...notStapled(), stapled: true, bytes: der.length };
  summary.der = der.toString('base64');
  try {
    const [status, responseBytes] = children(der, expect(der, 0, Tag.sequence, 'OCSPResponse'));
    if (!status || status.tag !== Tag.enumerated) throw new OcspFormatError('no responseStatus');
    const code = integer(der, status);
    summary.responseStatus = RESPONSE_STATUS[code] ?? `status ${code}`;
    if (!responseBytes) return summary;
    // ResponseBytes ::= SEQUENCE { responseType OID, response OCTET STRING (BasicOCSPResponse) }
    const bytesSequence = expect(der, responseBytes.contentStart, Tag.sequence, 'ResponseBytes');
    const [, response] = children(der, bytesSequence);
    if (!response || response.tag !== Tag.octetString) throw new OcspFormatError('no response');
    describeBasicResponse(der.subarray(response.contentStart, response.end), summary);
  } catch (error) {
    if (!(error instanceof OcspFormatError)) throw error;
    summary.malformed = error.message;
  }
  return summary;
}

/** BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm, … } */
function describeBasicResponse(basic: Buffer, summary: OcspSummary): void {
  const [responseData] = children(basic, expect(basic, 0, Tag.sequence, 'BasicOCSPResponse'));
  if (!responseData || responseData.tag !== Tag.sequence)
    throw new OcspFormatError('no ResponseData');
  // ResponseData ::= SEQUENCE { [0] version OPTIONAL, responderID, producedAt, responses, … }
  const fields = children(basic, responseData).filter((field) => field.tag !== Tag.context0);
  const [, producedAt, responses] = fields;
  if (producedAt?.tag !== Tag.generalizedTime || responses?.tag !== Tag.sequence) {
    throw new OcspFormatError('ResponseData lacks producedAt or responses');
  }
  summary.producedAt = time(basic, producedAt);
  summary.responses = children(basic, responses).map((single) => describeSingle(basic, single));
}

/** SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, [0] nextUpdate OPTIONAL, … } */
function describeSingle(data: Buffer, single: DerHeader): OcspSingleResponse {
  const [certId, status, thisUpdate, next] = children(data, single);
  if (!certId || !status) throw new OcspFormatError('SingleResponse lacks certID or certStatus');
  // CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber INTEGER }
  const serial = children(data, certId)[3];
  if (serial?.tag !== Tag.integer) throw new OcspFormatError('CertID lacks serialNumber');
  const revokedAt =
    status.tag === Tag.revoked
      ? children(data, status).find((f) => f.tag === Tag.generalizedTime)
      : undefined;
  const nextTime = next?.tag === Tag.context0 ? children(data, next)[0] : undefined;
  return {
    serialNumber: data
      .subarray(serial.contentStart, serial.end)
      .toString('hex')
      .toUpperCase()
      .replace(/^00(?=.)/, ''),
    certStatus:
      status.tag === Tag.good ? 'good' : status.tag === Tag.revoked ? 'revoked' : 'unknown',
    revocationTime: revokedAt ? time(data, revokedAt) : null,
    thisUpdate: thisUpdate?.tag === Tag.generalizedTime ? time(data, thisUpdate) : null,
    nextUpdate: nextTime?.tag === Tag.generalizedTime ? time(data, nextTime) : null,
  };
}

class OcspFormatError extends Error {}

function expect(data: Buffer, offset: number, tag: number, what: string): DerHeader {
  const header = readDerHeader(data, offset);
  if (!header || header.end > data.length) throw new OcspFormatError(`${what} is truncated`);
  if (header.tag !== tag) throw new OcspFormatError(`${what} has tag 0x${header.tag.toString(16)}`);
  return header;
}

function children(data: Buffer, parent: DerHeader): DerHeader[] {
  const found: DerHeader[] = [];
  for (let offset = parent.contentStart; offset < parent.end;) {
    const child = readDerHeader(data, offset);
    if (!child || child.end > parent.end)
      throw new OcspFormatError('an element runs past its parent');
    found.push(child);
    offset = child.end;
  }
  return found;
}

function integer(data: Buffer, element: DerHeader): number {
  return data
    .subarray(element.contentStart, element.end)
    .reduce((value, octet) => value * 0x100 + octet, 0);
}

/** GeneralizedTime "YYYYMMDDHHMMSS[.fff]Z" as ISO 8601. */
function time(data: Buffer, element: DerHeader): string {
  const text = data.subarray(element.contentStart, element.end).toString('latin1');
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (!match) throw new OcspFormatError(`"${text}" is not a GeneralizedTime`);
  const [, year, month, day, hour, minute, second] = match;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.000Z`;
}
