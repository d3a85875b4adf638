import { ByteWriter } from '../wire/byte-writer.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ProbeParseError } from '../wire/probe-parse-error.js';

/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4, RFC 6066 §8 certificate_status). */
export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
  certificateStatus: 22,
} as const;

export interface HandshakeMessage {
  type: number;
  body: Uint8Array;
}

/** `struct { HandshakeType msg_type; uint24 length; body }` (RFC 8446 §4). */
export function encodeHandshake(type: number, fill: (writer: ByteWriter) => void): Uint8Array {
  const writer = new ByteWriter();
  writer.u8(type).block24(fill);
  return writer.finish();
}

/**
 * Reassembles handshake messages from handshake-record fragments: one record may carry several
 * messages and one message may span records. A declared length above `maxMessageBytes` fails at
 * once, before any of it is buffered.
 */
export class HandshakeStream {
  private buffered = new Uint8Array(0);
  /** Where the next message starts in `buffered`. */
  private offset = 0;

  constructor(private readonly maxMessageBytes: number) {}

  push(fragment: Uint8Array): void {
    if (fragment.length === 0) return;
    const pending = this.buffered.subarray(this.offset);
    const joined = new Uint8Array(pending.length + fragment.length);
    joined.set(pending);
    joined.set(fragment, pending.length);
    this.buffered = joined;
    this.offset = 0;
  }

  next(): HandshakeMessage | undefined {
    const pending = this.buffered.subarray(this.offset);
    if (pending.length < 4) return undefined;
    const reader = new ByteReader(pending, 'handshake');
    const type = reader.u8('msg_type');
    const length = reader.u24('length');
    if (length > this.maxMessageBytes) {
      throw new ProbeParseError(
        `handshake: message type ${type} claims ${length} bytes, more than the ${this.maxMessageBytes} allowed`,
      );
    }
    if (reader.remaining < length) return undefined;
    const body = reader.bytes(length, 'body').slice();
    this.offset += 4 + length;
    return { type, body };
  }
}

/** Parses a buffer that must hold whole handshake messages and nothing else. */
export function parseHandshakeMessages(data: Uint8Array): HandshakeMessage[] {
  const reader = new ByteReader(data, 'handshake');
  return reader.list((messages) => {
    const type = messages.u8('msg_type');
    return { type, body: messages.opaque24('body').slice() };
  });
}
