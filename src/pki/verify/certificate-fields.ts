import { DerTag, oidText, readChildren, readElement, type DerElement } from '../describe/der.js';
import { elementsWithBytes, type EncodedElement } from './der-elements.js';

/**
 * The fields of a certificate's TBSCertificate (RFC 5280 §4.1), read straight from the DER:
 * names and identifiers keep their exact bytes, and nothing is decoded that path validation does
 * not use. (A general ASN.1 decoder also expands every OCTET STRING it can, and gives up on a
 * certificate with a few thousand SANs, which OpenSSL reads and then refuses with a verdict.)
 */
export interface CertificateFields {
  /** 1, 2 or 3. */
  version: number;
  /** The serialNumber INTEGER's content octets. */
  serial: Uint8Array;
  /** The signature AlgorithmIdentifier's OID, inside the signed part. */
  signatureOid: string;
  /** The whole issuer and subject Name elements. */
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** The public key's algorithm OID and whether its parameters are a SEQUENCE (explicit EC). */
  keyAlgorithmOid: string;
  explicitKeyParameters: boolean;
  extensions: RawExtension[];
}

export interface RawExtension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING's content: the extension's own DER. */
  value: Uint8Array;
}

/** Reads a DER certificate's fields. Throws RangeError when the structure is not a certificate. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const certificate = readElement(der);
  const [tbs] = readChildren(expectSequence(certificate).content);
  const fields = elementsWithBytes(expectSequence(tbs).content);
  let index = 0;
  let version = 1;
  if (fields[0]?.tag === EXPLICIT_VERSION) {
    const value = readElement(fields[0].content);
    version = (value.content[value.content.length - 1] ?? 0) + 1;
    index = 1;
  }
  const [serial, signature, issuer, validity, subject, spki, ...optional] = fields.slice(index);
  if (!serial || !signature || !issuer || !validity || !subject || !spki) {
    throw new RangeError('TBSCertificate is missing fields');
  }
  const [notBefore, notAfter] = readChildren(expectSequence(validity).content);
  const [keyAlgorithm] = readChildren(expectSequence(spki).content);
  const [keyOid, keyParameters] = readChildren(expectSequence(keyAlgorithm).content);
  const extensions = optional.find((field) => field.tag === EXPLICIT_EXTENSIONS);
  return {
    version,
    serial: expectTag(serial, DerTag.integer).content,
    signatureOid: oidOf(readChildren(expectSequence(signature).content)[0]),
    issuer: expectSequence(issuer).bytes,
    subject: expectSequence(subject).bytes,
    notBefore: timeOf(notBefore),
    notAfter: timeOf(notAfter),
    keyAlgorithmOid: oidOf(keyOid),
    explicitKeyParameters: keyParameters?.tag === DerTag.sequence,
    extensions: extensions ? readExtensions(extensions) : [],
  };
}

/**
 * An X.509 time as OpenSSL reads it: UTCTime `YYMMDDHHMM[SS]Z` (years 50–99 are 19xx) or
 * GeneralizedTime `YYYYMMDDHHMM[SS][.fff]Z`, an offset `±hhmm` instead of Z allowed, fractions
 * of a second ignored.
 */
export function parseX509Time(tag: number, text: string): Date {
  const pattern = tag === UTC_TIME ? UTC_TIME_PATTERN : GENERALIZED_TIME_PATTERN;
  const match = pattern.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a valid certificate time`);
  const [, yearText, month, day, hour, minute, second, , zone] = match as unknown as string[];
  let year = Number(yearText);
  if (tag === UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const fields = [
    year,
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
  ] as const;
  const local = new Date(Date.UTC(...fields));
  const exact =
    local.getUTCFullYear() === fields[0] &&
    local.getUTCMonth() === fields[1] &&
    local.getUTCDate() === fields[2] &&
    local.getUTCHours() === fields[3] &&
    local.getUTCMinutes() === fields[4] &&
    local.getUTCSeconds() === fields[5];
  if (!exact) throw new RangeError(`"${text}" is not a calendar time`);
  return new Date(local.getTime() - offsetMinutes(zone) * 60_000);
}

// ---------------------------------------------------------------------------------------------

const EXPLICIT_VERSION = 0xa0;
const EXPLICIT_EXTENSIONS = 0xa3;
const BOOLEAN = 0x01;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const UTC_TIME_PATTERN = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})$/;
const GENERALIZED_TIME_PATTERN =
  /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(\.\d+)?(Z|[+-]\d{4})?$/;

function timeOf(element: DerElement | undefined): Date {
  if (!element || (element.tag !== UTC_TIME && element.tag !== GENERALIZED_TIME)) {
    throw new RangeError('validity time is neither UTCTime nor GeneralizedTime');
  }
  return parseX509Time(element.tag, Buffer.from(element.content).toString('latin1'));
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
}

/** Extensions ::= SEQUENCE OF SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }. */
function readExtensions(field: EncodedElement): RawExtension[] {
  const list = readElement(field.content);
  return readChildren(expectSequence(list).content).map((extension) => {
    const parts = readChildren(expectSequence(extension).content);
    const [id, second, third] = parts;
    const critical = second?.tag === BOOLEAN ? second.content[0] !== 0 : false;
    const value = second?.tag === BOOLEAN ? third : second;
    if (!value || value.tag !== DerTag.octetString)
      throw new RangeError('extension without a value');
    return { oid: oidOf(id), critical, value: value.content };
  });
}

function oidOf(element: DerElement | undefined): string {
  return oidText(expectTag(element, DerTag.oid).content);
}

function expectSequence<T extends DerElement>(element: T | undefined): T {
  return expectTag(element, DerTag.sequence);
}

function expectTag<T extends DerElement>(element: T | undefined, tag: number): T {
  if (!element || element.tag !== tag) {
    throw new RangeError(`expected DER tag 0x${tag.toString(16)}`);
  }
  return element;
}
