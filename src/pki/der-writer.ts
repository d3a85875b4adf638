import { bytesOfBigint } from './bigint.js';
import { DerTag } from './describe/der.js';

/** X.690 §8.1.3 (§10.1 for DER): short-form length below 0x80, else the fewest length octets. */
export function derElement(tag: number, content: Uint8Array): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.of(tag, length), content]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 0x100)) octets.unshift(rest & 0xff);
  return Buffer.concat([Buffer.of(tag, 0x80 | octets.length, ...octets), content]);
}

export function derSequence(elements: readonly Uint8Array[]): Buffer {
  return derElement(DerTag.sequence, Buffer.concat(elements));
}

/** A non-negative INTEGER: a set top bit would make it negative, so a zero octet goes first. */
export function derInteger(value: bigint): Buffer {
  const magnitude = bytesOfBigint(value);
  const content =
    (magnitude[0] as number) & 0x80 ? Buffer.concat([Buffer.of(0), magnitude]) : magnitude;
  return derElement(DerTag.integer, content);
}

/** An OBJECT IDENTIFIER from its dotted text (X.690 §8.19: base-128 arcs, the first two joined). */
export function derObjectIdentifier(oid: string): Buffer {
  const [first = 0, second = 0, ...rest] = oid.split('.').map(Number);
  const octets = [first * 40 + second, ...rest].flatMap((arc) => {
    const base128 = [arc & 0x7f];
    for (let value = Math.floor(arc / 0x80); value > 0; value = Math.floor(value / 0x80)) {
      base128.unshift((value & 0x7f) | 0x80);
    }
    return base128;
  });
  return derElement(DerTag.oid, Buffer.from(octets));
}

/** An OCTET STRING. */
export function derOctetString(octets: Uint8Array): Buffer {
  return derElement(DerTag.octetString, octets);
}

/** `[number] EXPLICIT`: a context-specific constructed wrapper around one encoded element. */
export function derExplicit(number: number, element: Uint8Array): Buffer {
  return derElement(0xa0 | number, element);
}

/** A BIT STRING of whole octets (signatures, keys): no unused bits. */
export function derBitString(octets: Uint8Array): Buffer {
  return derElement(DerTag.bitString, Buffer.concat([Buffer.of(0), octets]));
}

/**
 * Exactly these bytes as an ArrayBuffer, which asn1-schema's fields take. A copy: a Buffer's
 * own `.buffer` may be Node's shared pool, far larger than the Buffer.
 */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return Uint8Array.from(bytes).buffer;
}
