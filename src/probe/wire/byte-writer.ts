import { InternalError } from '../../errors.js';

/**
 * Builds wire messages front to back. Length-prefixed vectors are written as blocks: the prefix
 * is reserved, the body is written by a callback, then the prefix is patched with the body's
 * length, so no byte offset is ever computed by hand (Go's cryptobyte.Builder, in TypeScript).
 *
 *   writer.block16((extensions) => {
 *     extensions.u16(0x0000);
 *     extensions.block16((serverName) => …);
 *   });
 *
 * A value that does not fit its field is a bug in tlskit, never the peer's doing: InternalError.
 */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  u8(value: number): this {
    checkRange(value, 0xff, 'u8');
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  u16(value: number): this {
    checkRange(value, 0xffff, 'u16');
    return this.u8(value >>> 8).u8(value & 0xff);
  }

  u24(value: number): this {
    checkRange(value, 0xffffff, 'u24');
    return this.u8(value >>> 16)
      .u8((value >>> 8) & 0xff)
      .u8(value & 0xff);
  }

  u32(value: number): this {
    checkRange(value, 0xffffffff, 'u32');
    return this.u16(Math.floor(value / 0x10000)).u16(value & 0xffff);
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** A vector with a one-byte length prefix (`opaque x<0..2^8-1>`). */
  block8(fill: (writer: this) => void): this {
    return this.block(1, fill);
  }

  /** A vector with a two-byte length prefix (`opaque x<0..2^16-1>`). */
  block16(fill: (writer: this) => void): this {
    return this.block(2, fill);
  }

  /** A vector with a three-byte length prefix (handshake messages, certificate lists). */
  block24(fill: (writer: this) => void): this {
    return this.block(3, fill);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private block(prefixBytes: 1 | 2 | 3, fill: (writer: this) => void): this {
    const start = this.length;
    this.reserve(prefixBytes);
    this.length += prefixBytes;
    fill(this);
    const bodyLength = this.length - start - prefixBytes;
    checkRange(bodyLength, 2 ** (8 * prefixBytes) - 1, `${8 * prefixBytes}-bit length`);
    for (let index = 0; index < prefixBytes; index++) {
      const shift = 8 * (prefixBytes - 1 - index);
      this.buffer[start + index] = Math.floor(bodyLength / 2 ** shift) & 0xff;
    }
    return this;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** Encodes with a fresh writer: `encode((w) => w.u16(0x0303))`. */
export function encodeBytes(fill: (writer: ByteWriter) => void): Uint8Array {
  const writer = new ByteWriter();
  fill(writer);
  return writer.finish();
}

function checkRange(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InternalError(`wire encoding: ${value} does not fit a ${field}`);
  }
}
