import { ByteWriter } from '../wire/byte-writer.js';
import { InternalError } from '../../errors.js';
import { writeClientExtension, type ClientExtension } from './client-extensions.js';
import { encodeHandshake, HandshakeType } from './handshake.js';
import { ContentType, encodeRecords } from './record.js';

/**
 * What a ClientHello says (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2 for TLS ≤ 1.2; RFC 6101 §5.6.1.2
 * for SSLv3). Randomness is separate (HelloRandomness), so the same spec encodes byte for byte
 * the same in a golden test.
 */
export interface ClientHelloSpec {
  /** legacy_version (client_version before TLS 1.3). */
  version: number;
  /** The record layer's version; TLS 1.0 (0x0301) unless given, the value servers accept best. */
  recordVersion?: number;
  cipherSuites: readonly number[];
  /** compression_methods; [0] (null) unless given. */
  compressionMethods?: readonly number[];
  /** In order; none at all omits the extensions block (SSLv3 style). */
  extensions: readonly ClientExtension[];
  /** Pad a hello of 256–511 bytes to 512 (RFC 7685; F5 servers hang on that range). */
  padToAvoidF5Bug?: boolean;
}

/** The per-connection random values; tests pass fixed ones. */
export interface HelloRandomness {
  /** 32 bytes. */
  random: Uint8Array;
  /** 0–32 bytes (RFC 8446 §D.4: 32 random bytes make middleboxes see a resumption). */
  sessionId: Uint8Array;
}

/** The ClientHello handshake message (header included). */
export function encodeClientHello(spec: ClientHelloSpec, randomness: HelloRandomness): Uint8Array {
  checkRandomness(randomness);
  const message = encodeUnpadded(spec, randomness, spec.extensions);
  if (!spec.padToAvoidF5Bug || message.length < 256 || message.length >= 512) return message;
  // The padding extension's own 4-byte header counts towards the 512.
  const padding = Math.max(0, 512 - message.length - 4);
  return encodeUnpadded(spec, randomness, [
    ...spec.extensions,
    { type: 'padding', length: padding },
  ]);
}

/** The ClientHello wrapped in handshake records, ready to write to a socket. */
export function encodeClientHelloRecords(
  spec: ClientHelloSpec,
  randomness: HelloRandomness,
): Uint8Array {
  return encodeRecords(
    ContentType.handshake,
    spec.recordVersion ?? 0x0301,
    encodeClientHello(spec, randomness),
  );
}

function encodeUnpadded(
  spec: ClientHelloSpec,
  randomness: HelloRandomness,
  extensions: readonly ClientExtension[],
): Uint8Array {
  return encodeHandshake(HandshakeType.clientHello, (body: ByteWriter) => {
    body.u16(spec.version);
    body.bytes(randomness.random);
    body.block8((sessionId) => sessionId.bytes(randomness.sessionId));
    body.block16((suites) => spec.cipherSuites.forEach((suite) => suites.u16(suite)));
    body.block8((methods) =>
      (spec.compressionMethods ?? [0]).forEach((method) => methods.u8(method)),
    );
    if (extensions.length > 0) {
      body.block16((list) =>
        extensions.forEach((extension) => writeClientExtension(list, extension)),
      );
    }
  });
}

function checkRandomness(randomness: HelloRandomness): void {
  if (randomness.random.length !== 32 || randomness.sessionId.length > 32) {
    throw new InternalError('ClientHello: random must be 32 bytes and session_id at most 32');
  }
}
