import { derElement } from '../der-writer.js';

/**
 * Rewrites BER framing as DER framing: definite lengths everywhere, and each constructed
 * OCTET STRING joined into one primitive OCTET STRING. NSS (Firefox's certificate export) and
 * older Windows write PKCS#12 files with indefinite lengths and chunked OCTET STRINGs, which
 * asn1-schema would read as empty. Nothing else is changed: it is framing, not canonicalisation.
 * Malformed input throws a RangeError, which callers turn into an InputError.
 */
export function berToDer(data: Uint8Array): Buffer {
  const element = readElement(data, 0, 0);
  if (element.end !== data.length) {
    throw new RangeError(`${data.length - element.end} bytes of trailing data`);
  }
  return derElement(element.tag, element.content);
}

interface Element {
  tag: number;
  /** The content octets, already in DER framing. */
  content: Buffer;
  /** Offset just past the element in the input. */
  end: number;
}

const CONSTRUCTED = 0x20;
const HIGH_TAG_NUMBER = 0x1f;
const INDEFINITE_LENGTH = 0x80;
const OCTET_STRING = 0x04;
const CONSTRUCTED_OCTET_STRING = OCTET_STRING | CONSTRUCTED;
/** PKCS#12 nests about a dozen levels deep; far more is a file built to exhaust the stack. */
const MAX_DEPTH = 64;
/** Four length octets allow 4 GiB: more than any input tlskit reads. */
const MAX_LENGTH_OCTETS = 4;

function readElement(data: Uint8Array, offset: number, depth: number): Element {
  if (depth > MAX_DEPTH) throw new RangeError('ASN.1 nested too deeply');
  const tag = data[offset];
  const first = data[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError('ASN.1 element is truncated');
  // Every tag in PKCS#12 is a single octet: the high-tag-number form is never used.
  if ((tag & HIGH_TAG_NUMBER) === HIGH_TAG_NUMBER || tag === 0) {
    throw new RangeError(`unexpected ASN.1 tag 0x${tag.toString(16)}`);
  }
  const constructed = (tag & CONSTRUCTED) !== 0;
  if (first === INDEFINITE_LENGTH) {
    if (!constructed) throw new RangeError('indefinite length on a primitive ASN.1 element');
    return readIndefinite(data, tag, offset + 2, depth);
  }
  let start = offset + 2;
  let length = first;
  if (first > INDEFINITE_LENGTH) {
    const octets = first - INDEFINITE_LENGTH;
    if (octets > MAX_LENGTH_OCTETS || start + octets > data.length) {
      throw new RangeError('ASN.1 length is malformed');
    }
    length = 0;
    for (let index = 0; index < octets; index++)
      length = length * 0x100 + (data[start + index] as number);
    start += octets;
  }
  const end = start + length;
  if (end > data.length) throw new RangeError('ASN.1 element runs past the end of the data');
  if (!constructed) return { tag, content: Buffer.from(data.subarray(start, end)), end };
  const children: Element[] = [];
  for (let position = start; position < end;) {
    const child = readElement(data.subarray(0, end), position, depth + 1);
    children.push(child);
    position = child.end;
  }
  return { ...joinChildren(tag, children), end };
}

/** Children up to the end-of-contents octets 00 00 (X.690 section 8.1.5). */
function readIndefinite(data: Uint8Array, tag: number, start: number, depth: number): Element {
  const children: Element[] = [];
  let position = start;
  while (!(data[position] === 0 && data[position + 1] === 0)) {
    if (position >= data.length) throw new RangeError('ASN.1 element has no end-of-contents');
    const child = readElement(data, position, depth + 1);
    children.push(child);
    position = child.end;
  }
  return { ...joinChildren(tag, children), end: position + 2 };
}

/** A constructed OCTET STRING becomes one primitive OCTET STRING of its segments' octets. */
function joinChildren(tag: number, children: readonly Element[]): Omit<Element, 'end'> {
  if (tag !== CONSTRUCTED_OCTET_STRING) {
    return {
      tag,
      content: Buffer.concat(children.map((child) => derElement(child.tag, child.content))),
    };
  }
  for (const child of children) {
    if (child.tag !== OCTET_STRING)
      throw new RangeError('a constructed OCTET STRING holds other types');
  }
  return { tag: OCTET_STRING, content: Buffer.concat(children.map((child) => child.content)) };
}
