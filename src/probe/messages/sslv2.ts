import { encodeBytes } from '../wire/byte-writer.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ProbeParseError } from '../wire/probe-parse-error.js';

/**
 * SSL 2.0's own message format (draft-hickman-netscape-ssl-00 §2.5, §2.6): a scan sends a
 * CLIENT-HELLO in it to find SSLv2 servers, and early TLS clients used the same format for a
 * backwards-compatible hello carrying a TLS version (RFC 5246 Appendix E.2).
 */
export const SSLV2_VERSION = 0x0002;
const CLIENT_HELLO = 1;
const SERVER_HELLO = 4;
const ERROR = 0;

export interface Sslv2ClientHello {
  /** 0x0002 for SSLv2 itself, or a TLS version for the compatible form. */
  version: number;
  /** Three-byte cipher kinds (TLS suites as 0x00xxyy in the compatible form). */
  cipherSpecs: readonly number[];
}

export type Sslv2ServerMessage =
  | {
      kind: 'server-hello';
      version: number;
      certificate: Uint8Array;
      cipherSpecs: number[];
      sessionIdHit: boolean;
    }
  | { kind: 'error'; errorCode: number };

/** A CLIENT-HELLO in a two-byte-header record; `challenge` is 16 to 32 bytes. */
export function encodeSslv2ClientHello(hello: Sslv2ClientHello, challenge: Uint8Array): Uint8Array {
  const message = encodeBytes((writer) => {
    writer.u8(CLIENT_HELLO).u16(hello.version);
    writer
      .u16(hello.cipherSpecs.length * 3)
      .u16(0)
      .u16(challenge.length);
    for (const spec of hello.cipherSpecs) writer.u24(spec);
    writer.bytes(challenge);
  });
  // Two-byte header: high bit set, 15-bit length, no padding.
  return encodeBytes((writer) => writer.u16(0x8000 | message.length).bytes(message));
}

/**
 * The length of the SSLv2 record at the start of `data` (header included), or undefined when the
 * header is incomplete. Throws when the first byte cannot start an SSLv2 record.
 */
export function sslv2RecordLength(data: Uint8Array): number | undefined {
  if (data.length < 2) return undefined;
  const first = data[0] as number;
  if (first & 0x80) return 2 + (((first & 0x7f) << 8) | (data[1] as number));
  // Three-byte header: 14-bit length, then a padding count.
  if (first & 0x40) throw new ProbeParseError('SSLv2 record: escape records are not supported');
  return 3 + (((first & 0x3f) << 8) | (data[1] as number));
}

/** Parses one whole SSLv2 record (header included) holding a SERVER-HELLO or an ERROR. */
export function parseSslv2ServerMessage(record: Uint8Array): Sslv2ServerMessage {
  const length = sslv2RecordLength(record);
  if (length === undefined || length !== record.length) {
    throw new ProbeParseError('SSLv2 record: length does not match the data');
  }
  const headerLength = (record[0] as number) & 0x80 ? 2 : 3;
  const reader = new ByteReader(record, 'SSLv2 SERVER-HELLO', headerLength);
  const type = reader.u8('msg_type');
  if (type === ERROR) {
    const errorCode = reader.u16('error_code');
    reader.end();
    return { kind: 'error', errorCode };
  }
  if (type !== SERVER_HELLO) throw reader.fail(`msg_type ${type} is not SERVER-HELLO`);
  const sessionIdHit = reader.u8('session_id_hit') !== 0;
  reader.u8('certificate_type');
  const version = reader.u16('server_version');
  const certificateLength = reader.u16('certificate_length');
  const specsLength = reader.u16('cipher_specs_length');
  const connectionIdLength = reader.u16('connection_id_length');
  if (specsLength % 3 !== 0) throw reader.fail('cipher_specs_length is not a multiple of 3');
  const certificate = reader.bytes(certificateLength, 'certificate').slice();
  const specs = reader.sub(specsLength, 'cipher_specs').list((list) => list.u24('cipher_spec'));
  reader.bytes(connectionIdLength, 'connection_id');
  // Padding (three-byte header) may follow; SSLv2 has no MAC on a SERVER-HELLO.
  if (headerLength === 2) reader.end();
  return { kind: 'server-hello', version, certificate, cipherSpecs: specs, sessionIdHit };
}
