import { ByteReader } from '../../../../src/probe/wire/byte-reader.js';

/** Reads back an encoded ClientHello record, so tests check its structure independently. */
export interface DecodedClientHello {
  recordVersion: number;
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  /** null when the hello has no extensions block at all. */
  extensions: Array<{ type: number; data: Uint8Array }> | null;
}

export function decodeClientHelloRecord(bytes: Uint8Array): DecodedClientHello {
  const record = new ByteReader(bytes, 'record');
  if (record.u8('content_type') !== 22) throw new Error('not a handshake record');
  const recordVersion = record.u16('version');
  const fragment = record.sub16('fragment');
  record.end();
  if (fragment.u8('msg_type') !== 1) throw new Error('not a ClientHello');
  const body = fragment.sub24('body');
  fragment.end();
  const version = body.u16('version');
  const random = body.bytes(32, 'random');
  const sessionId = body.opaque8('session_id');
  const cipherSuites = body.sub16('cipher_suites').list((list) => list.u16('suite'));
  const compressionMethods = body.sub8('compression_methods').list((list) => list.u8('method'));
  const extensions = body.atEnd
    ? null
    : body.sub16('extensions').list((list) => ({
        type: list.u16('type'),
        data: list.opaque16('data'),
      }));
  body.end();
  return {
    recordVersion,
    version,
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions,
  };
}
