import { ProbeParseError } from './probe-parse-error.js';

/**
 * Reads peer bytes within fixed bounds (rustls's `Reader`). Every read names its field, so a
 * failure says where it happened (`ServerHello: session_id: needs 32 bytes, 3 left`). A
 * length-prefixed vector becomes a sub-reader confined to that vector: a lying length cannot make
 * a parser read past its block, and `end()` rejects bytes a parser did not consume.
 *
 * Only ProbeParseError ever leaves this class.
 */
export class ByteReader {
  private offset: number;

  constructor(
    private readonly data: Uint8Array,
    /** Names the structure in error messages: `ServerHello`, `ServerHello extension key_share`. */
    readonly context: string,
    start = 0,
    private readonly limit = data.length,
  ) {
    this.offset = start;
  }

  get remaining(): number {
    return this.limit - this.offset;
  }

  get atEnd(): boolean {
    return this.offset >= this.limit;
  }

  u8(field: string): number {
    return this.take(1, field)[0] as number;
  }

  u16(field: string): number {
    const bytes = this.take(2, field);
    return ((bytes[0] as number) << 8) | (bytes[1] as number);
  }

  u24(field: string): number {
    const bytes = this.take(3, field);
    return ((bytes[0] as number) << 16) | ((bytes[1] as number) << 8) | (bytes[2] as number);
  }

  /** `count` bytes, as a view into the peer's data (copy it to keep it). */
  bytes(count: number, field: string): Uint8Array {
    return this.take(count, field);
  }

  /** Everything not yet read. */
  rest(): Uint8Array {
    return this.take(this.remaining, 'rest');
  }

  /** A vector with a one-byte length prefix, as a bounded reader. */
  sub8(field: string): ByteReader {
    return this.sub(this.u8(`${field} length`), field);
  }

  /** A vector with a two-byte length prefix, as a bounded reader. */
  sub16(field: string): ByteReader {
    return this.sub(this.u16(`${field} length`), field);
  }

  /** A vector with a three-byte length prefix, as a bounded reader. */
  sub24(field: string): ByteReader {
    return this.sub(this.u24(`${field} length`), field);
  }

  /** The next `length` bytes as a bounded reader; this reader moves past them. */
  sub(length: number, field: string): ByteReader {
    this.need(length, field);
    const reader = new ByteReader(
      this.data,
      `${this.context} ${field}`,
      this.offset,
      this.offset + length,
    );
    this.offset += length;
    return reader;
  }

  /** The contents of a length-prefixed opaque vector. */
  opaque8(field: string): Uint8Array {
    return this.bytes(this.u8(`${field} length`), field);
  }

  opaque16(field: string): Uint8Array {
    return this.bytes(this.u16(`${field} length`), field);
  }

  opaque24(field: string): Uint8Array {
    return this.bytes(this.u24(`${field} length`), field);
  }

  /** Reads items until this reader is exhausted. */
  list<T>(readItem: (reader: this) => T): T[] {
    const items: T[] = [];
    while (!this.atEnd) items.push(readItem(this));
    return items;
  }

  /** Rejects trailing data: a structure must use exactly the bytes its length promised. */
  end(): void {
    if (this.remaining > 0) {
      throw new ProbeParseError(`${this.context}: ${this.remaining} bytes of trailing data`);
    }
  }

  /** A parse error at this reader's position, for values the protocol forbids. */
  fail(message: string): ProbeParseError {
    return new ProbeParseError(`${this.context}: ${message}`);
  }

  private take(count: number, field: string): Uint8Array {
    this.need(count, field);
    const view = this.data.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  private need(count: number, field: string): void {
    if (count > this.remaining) {
      const unit = count === 1 ? 'byte' : 'bytes';
      throw new ProbeParseError(
        `${this.context}: ${field}: needs ${count} ${unit}, ${this.remaining} left`,
      );
    }
  }
}
