import { AsnParser } from '@peculiar/asn1-schema';
import { InputError } from '../../errors.js';

/**
 * How a byte string is framed as one DER object. Every object inspect reads (certificate, CSR,
 * CRL, key) is a SEQUENCE, so its outer header says whether the input was cut short.
 */
export type DerFraming = 'complete' | 'truncated' | 'trailing-data' | 'not-der';

const SEQUENCE = 0x30;
/** Four length octets already allow 4 GiB; more is never a certificate or key. */
const MAX_LENGTH_OCTETS = 4;

export function derFramingOf(data: Uint8Array): DerFraming {
  if (data.length === 0 || data[0] !== SEQUENCE) return 'not-der';
  if (data.length < 2) return 'truncated';
  const first = data[1] as number;
  let headerLength = 2;
  let contentLength = first;
  if (first & 0x80) {
    const octets = first & 0x7f;
    // 0x80 is BER's indefinite length, never DER.
    if (octets === 0 || octets > MAX_LENGTH_OCTETS) return 'not-der';
    if (data.length < 2 + octets) return 'truncated';
    contentLength = 0;
    for (let index = 0; index < octets; index++) {
      contentLength = contentLength * 0x100 + (data[2 + index] as number);
    }
    headerLength += octets;
  }
  const total = headerLength + contentLength;
  if (total > data.length) return 'truncated';
  return total < data.length ? 'trailing-data' : 'complete';
}

/**
 * Parses DER with an asn1-schema class. The parser throws bare Errors (and TypeError or
 * RangeError on hostile lengths); every failure becomes the given InputError.
 */
export function parseDer<T>(
  der: Uint8Array,
  schema: new () => T,
  failure: (cause: unknown) => InputError,
): T {
  try {
    return AsnParser.parse(der, schema);
  } catch (error) {
    throw failure(error);
  }
}

/** An unsigned big-endian INTEGER's content octets as a number (small counts such as SkipCerts). */
export function integerOf(content: ArrayBuffer | Uint8Array): number {
  const octets = content instanceof Uint8Array ? content : new Uint8Array(content);
  return octets.reduce((value, octet) => value * 0x100 + octet, 0);
}

/** One DER element: its tag byte and content, and where the next element starts. */
export interface DerElement {
  tag: number;
  content: Uint8Array;
  end: number;
}

/** DER tags used by the hand-written decoders and der-writer (the rest go through asn1-schema). */
export const DerTag = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  enumerated: 0x0a,
  sequence: 0x30,
} as const;

/**
 * Reads the element at `offset`, bounded by `data`'s end: a length that runs past the end throws
 * (callers map that to an InputError or a "malformed" extension), it is never read past.
 */
export function readElement(data: Uint8Array, offset = 0): DerElement {
  if (offset + 2 > data.length) throw new RangeError('DER element header runs past the end');
  const tag = data[offset] as number;
  const first = data[offset + 1] as number;
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > MAX_LENGTH_OCTETS || start + octets > data.length) {
      throw new RangeError('DER length is malformed');
    }
    length = 0;
    for (let index = 0; index < octets; index++)
      length = length * 0x100 + (data[start + index] as number);
    start += octets;
  }
  if (start + length > data.length) throw new RangeError('DER element runs past the end');
  return { tag, content: data.subarray(start, start + length), end: start + length };
}

/** The elements inside a constructed element's content, in order. */
export function readChildren(content: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < content.length;) {
    const child = readElement(content, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** Reads an element and checks its tag. */
export function expectElement(data: Uint8Array, tag: number, offset = 0): DerElement {
  const element = readElement(data, offset);
  if (element.tag !== tag) {
    throw new RangeError(
      `expected DER tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`,
    );
  }
  return element;
}

/** An OBJECT IDENTIFIER's content as dotted text. */
export function oidText(content: Uint8Array): string {
  const arcs: number[] = [];
  let arc = 0;
  for (const octet of content) {
    arc = arc * 0x80 + (octet & 0x7f);
    if (!(octet & 0x80)) {
      arcs.push(arc);
      arc = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}
