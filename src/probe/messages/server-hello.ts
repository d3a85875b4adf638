import { extensionName, ExtensionType } from '../registry/extension-types.js';
import { ProtocolVersion } from '../registry/versions.js';
import { ByteReader } from '../wire/byte-reader.js';

/** RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this random, SHA-256("HelloRetryRequest"). */
export const HELLO_RETRY_REQUEST_RANDOM = Uint8Array.from(
  Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'),
);

/** RFC 8446 §4.1.3: a TLS 1.3 server negotiating less ends its random with "DOWNGRD" + 01 or 00. */
const DOWNGRADE_PREFIX = Buffer.from('444f574e475244', 'hex');

export interface ServerExtension {
  type: number;
  data: Uint8Array;
}

export interface ServerHello {
  kind: 'server-hello' | 'hello-retry-request';
  legacyVersion: number;
  /** The negotiated version: supported_versions' selected_version, else legacy_version. */
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  /** Every extension in the order sent, raw. */
  extensions: ServerExtension[];
  /** key_share: the server's group (ServerHello) or the group it asks for (HelloRetryRequest). */
  selectedGroup: number | null;
  /** ALPN's selected protocol (TLS ≤ 1.2; TLS 1.3 sends it encrypted). */
  alpnProtocol: string | null;
  /** renegotiation_info's content (empty on an initial handshake), null when absent. */
  renegotiationInfo: Uint8Array | null;
  sessionTicket: boolean;
  statusRequest: boolean;
  extendedMasterSecret: boolean;
  encryptThenMac: boolean;
  /** The TLS 1.3 downgrade sentinel in the random, when present. */
  downgradeSentinel: 'TLS1.2' | 'TLS1.1' | null;
}

/** Parses a ServerHello (or HelloRetryRequest) handshake body. Throws only ProbeParseError. */
export function parseServerHello(body: Uint8Array): ServerHello {
  const reader = new ByteReader(body, 'ServerHello');
  const legacyVersion = reader.u16('legacy_version');
  const random = reader.bytes(32, 'random').slice();
  const retry = Buffer.from(random).equals(HELLO_RETRY_REQUEST_RANDOM);
  const context = retry ? 'HelloRetryRequest' : 'ServerHello';
  const sessionIdReader = reader.sub8('legacy_session_id');
  if (sessionIdReader.remaining > 32) throw reader.fail('legacy_session_id longer than 32 bytes');
  const sessionId = sessionIdReader.rest().slice();
  const cipherSuite = reader.u16('cipher_suite');
  const compressionMethod = reader.u8('legacy_compression_method');
  // SSLv3 and early TLS servers may end here: no extensions block at all.
  const extensions = reader.atEnd ? [] : readExtensions(reader.sub16('extensions'));
  reader.end();
  const hello: ServerHello = {
    kind: retry ? 'hello-retry-request' : 'server-hello',
    legacyVersion,
    version: legacyVersion,
    random,
    sessionId,
    cipherSuite,
    compressionMethod,
    extensions,
    selectedGroup: null,
    alpnProtocol: null,
    renegotiationInfo: null,
    sessionTicket: false,
    statusRequest: false,
    extendedMasterSecret: false,
    encryptThenMac: false,
    downgradeSentinel: retry ? null : downgradeSentinelOf(random),
  };
  for (const extension of extensions) applyExtension(hello, extension, context);
  return hello;
}

function readExtensions(list: ByteReader): ServerExtension[] {
  const seen = new Set<number>();
  return list.list((reader) => {
    const type = reader.u16('extension_type');
    if (seen.has(type)) throw reader.fail(`extension ${type} appears twice`);
    seen.add(type);
    return { type, data: reader.opaque16(`extension ${type} data`).slice() };
  });
}

/** Decodes the extensions a scan reads; each decoder follows the RFC section in its comment. */
function applyExtension(hello: ServerHello, extension: ServerExtension, context: string): void {
  const reader = new ByteReader(
    extension.data,
    `${context} extension ${extensionName(extension.type)}`,
  );
  switch (extension.type) {
    // RFC 8446 §4.2.1: selected_version.
    case ExtensionType.supportedVersions:
      hello.version = reader.u16('selected_version');
      break;
    // RFC 8446 §4.2.8: KeyShareServerHello { KeyShareEntry server_share } or, in a
    // HelloRetryRequest, KeyShareHelloRetryRequest { NamedGroup selected_group }.
    case ExtensionType.keyShare:
      hello.selectedGroup = reader.u16('group');
      if (hello.kind === 'server-hello') {
        const key = reader.opaque16('key_exchange');
        if (key.length === 0) throw reader.fail('key_exchange is empty');
      }
      break;
    // RFC 7301 §3.1: exactly one protocol name in the list.
    case ExtensionType.alpn: {
      const list = reader.sub16('protocol_name_list');
      const name = list.opaque8('protocol_name');
      list.end();
      if (name.length === 0) throw reader.fail('empty protocol name');
      hello.alpnProtocol = Buffer.from(name).toString('latin1');
      break;
    }
    // RFC 5746 §3.2: renegotiated_connection<0..255>.
    case ExtensionType.renegotiationInfo:
      hello.renegotiationInfo = reader.opaque8('renegotiated_connection').slice();
      break;
    // RFC 5077 §3.2, RFC 6066 §8, RFC 7627 §5.1, RFC 7366 §2: empty in a ServerHello.
    case ExtensionType.sessionTicket:
      hello.sessionTicket = true;
      break;
    case ExtensionType.statusRequest:
      hello.statusRequest = true;
      break;
    case ExtensionType.extendedMasterSecret:
      hello.extendedMasterSecret = true;
      break;
    case ExtensionType.encryptThenMac:
      hello.encryptThenMac = true;
      break;
    default:
      // Kept raw in `extensions`; an unknown type stays representable.
      return;
  }
  reader.end();
}

function downgradeSentinelOf(random: Uint8Array): ServerHello['downgradeSentinel'] {
  const tail = Buffer.from(random.subarray(24));
  if (!tail.subarray(0, 7).equals(DOWNGRADE_PREFIX)) return null;
  if (tail[7] === 0x01) return 'TLS1.2';
  if (tail[7] === 0x00) return 'TLS1.1';
  return null;
}

/** True when the server negotiated TLS 1.3 (or asked to retry a TLS 1.3 hello). */
export function isTls13(hello: ServerHello): boolean {
  return hello.version === ProtocolVersion.TLS1_3;
}
