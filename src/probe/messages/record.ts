import { encodeBytes } from '../wire/byte-writer.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ProbeParseError } from '../wire/probe-parse-error.js';

/** TLS record content types (RFC 8446 §5.1, RFC 6520 heartbeat). */
export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  heartbeat: 24,
} as const;

/** RFC 8446 §5.1: a plaintext fragment is at most 2^14 bytes. */
export const MAX_FRAGMENT_LENGTH = 2 ** 14;
/** RFC 5246 §6.2.3: a protected record may carry 2048 more; anything longer is not TLS. */
export const MAX_RECORD_LENGTH = 2 ** 14 + 2048;
export const RECORD_HEADER_LENGTH = 5;

export interface TlsRecord {
  contentType: number;
  /** The record layer's version field (legacy_record_version). */
  version: number;
  fragment: Uint8Array;
}

/** Wraps a payload in records of at most 2^14 bytes each (RFC 8446 §5.1). */
export function encodeRecords(
  contentType: number,
  version: number,
  payload: Uint8Array,
): Uint8Array {
  return encodeBytes((writer) => {
    let offset = 0;
    do {
      const fragment = payload.subarray(offset, offset + MAX_FRAGMENT_LENGTH);
      writer
        .u8(contentType)
        .u16(version)
        .block16((body) => body.bytes(fragment));
      offset += fragment.length;
    } while (offset < payload.length);
  });
}

/**
 * Splits a byte stream into records as bytes arrive. `next()` returns a whole record, or undefined
 * until one is complete; it throws ProbeParseError as soon as a header shows the stream is not
 * TLS (unknown content type, a version that is not 3.x, a length over MAX_RECORD_LENGTH).
 */
export class RecordStream {
  private buffered = new Uint8Array(0);
  /** Where the next record starts in `buffered`: records are read in place, not copied out one by one. */
  private offset = 0;

  push(chunk: Uint8Array): void {
    const pending = this.buffered.subarray(this.offset);
    const joined = new Uint8Array(pending.length + chunk.length);
    joined.set(pending);
    joined.set(chunk, pending.length);
    this.buffered = joined;
    this.offset = 0;
  }

  next(): TlsRecord | undefined {
    const pending = this.buffered.subarray(this.offset);
    if (pending.length === 0) return undefined;
    checkRecordHeaderStart(pending);
    if (pending.length < RECORD_HEADER_LENGTH) return undefined;
    const reader = new ByteReader(pending, 'record');
    const header = readRecordHeader(reader);
    if (reader.remaining < header.length) return undefined;
    const fragment = reader.bytes(header.length, 'fragment').slice();
    this.offset += RECORD_HEADER_LENGTH + header.length;
    return { contentType: header.contentType, version: header.version, fragment };
  }
}

/** Parses a buffer that must hold whole records and nothing else. */
export function parseRecords(data: Uint8Array): TlsRecord[] {
  const reader = new ByteReader(data, 'record');
  return reader.list((records) => {
    checkRecordHeaderStart(data.subarray(data.length - records.remaining));
    const header = readRecordHeader(records);
    const fragment = records.bytes(header.length, 'fragment').slice();
    return { contentType: header.contentType, version: header.version, fragment };
  });
}

function readRecordHeader(reader: ByteReader) {
  const contentType = reader.u8('content_type');
  const version = reader.u16('legacy_record_version');
  const length = reader.u16('length');
  if (length > MAX_RECORD_LENGTH) {
    throw reader.fail(`length ${length} exceeds ${MAX_RECORD_LENGTH}: not a TLS record`);
  }
  return { contentType, version, length };
}

/** Fails fast on the first bytes of a header that cannot start a TLS record. */
function checkRecordHeaderStart(bytes: Uint8Array): void {
  const contentType = bytes[0] as number;
  if (contentType < ContentType.changeCipherSpec || contentType > ContentType.heartbeat) {
    throw new ProbeParseError(`record: not TLS: ${describeForeignBytes(bytes)}`);
  }
  if (bytes.length > 1 && bytes[1] !== 3) {
    throw new ProbeParseError(`record: not TLS: version ${bytes[1]}.x in the record header`);
  }
}

/** A short, printable description of bytes that are not TLS (an HTTP or SMTP banner, say). */
export function describeForeignBytes(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 40);
  const printable = head.every(
    (byte) => byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f),
  );
  if (printable) {
    const text = Buffer.from(head).toString('latin1').split(/\r?\n/, 1)[0] ?? '';
    return `the server answered with text: "${text}"`;
  }
  return `first byte 0x${(bytes[0] as number).toString(16).padStart(2, '0')} is no record type`;
}
