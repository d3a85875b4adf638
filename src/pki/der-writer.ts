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

/** A BIT STRING of whole octets (signatures, keys): no unused bits. */
export function derBitString(octets: Uint8Array): Buffer {
  return derElement(DerTag.bitString, Buffer.concat([Buffer.of(0), octets]));
}
