import { ExtensionType } from '../registry/extension-types.js';
import type { ByteWriter } from '../wire/byte-writer.js';

/**
 * The ClientHello extensions a scan sends, as typed values. Each one is encoded by its own block
 * below, labelled with the section that defines its wire format.
 */
export type ClientExtension =
  | { type: 'server_name'; hostName: string }
  | { type: 'status_request' }
  | { type: 'supported_groups'; groups: readonly number[] }
  | { type: 'ec_point_formats'; formats: readonly number[] }
  | { type: 'signature_algorithms'; schemes: readonly number[] }
  | { type: 'signature_algorithms_cert'; schemes: readonly number[] }
  | { type: 'alpn'; protocols: readonly string[] }
  | { type: 'encrypt_then_mac' }
  | { type: 'extended_master_secret' }
  | { type: 'session_ticket'; ticket: Uint8Array }
  | { type: 'supported_versions'; versions: readonly number[] }
  | { type: 'psk_key_exchange_modes'; modes: readonly number[] }
  | { type: 'key_share'; shares: readonly KeyShareEntry[] }
  | { type: 'renegotiation_info'; renegotiatedConnection: Uint8Array }
  | { type: 'padding'; length: number }
  /** Anything else, GREASE included, as raw bytes. */
  | { type: 'raw'; code: number; data: Uint8Array };

export interface KeyShareEntry {
  group: number;
  keyExchange: Uint8Array;
}

/** psk_key_exchange_modes values (RFC 8446 §4.2.9). */
export const PskKeyExchangeMode = { psk_ke: 0, psk_dhe_ke: 1 } as const;

/** ec_point_formats values (RFC 8422 §5.1.2). */
export const EcPointFormat = {
  uncompressed: 0,
  ansiX962CompressedPrime: 1,
  ansiX962CompressedChar2: 2,
} as const;

/** Writes `struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }`. */
export function writeClientExtension(writer: ByteWriter, extension: ClientExtension): void {
  switch (extension.type) {
    // RFC 6066 §3: ServerNameList with one host_name (type 0) entry.
    case 'server_name':
      writer
        .u16(ExtensionType.serverName)
        .block16((data) =>
          data.block16((list) =>
            list.u8(0).block16((name) => name.bytes(Buffer.from(extension.hostName, 'ascii'))),
          ),
        );
      return;
    // RFC 6066 §8: CertificateStatusRequest, type ocsp(1), no responder IDs, no extensions.
    case 'status_request':
      writer.u16(ExtensionType.statusRequest).block16((data) => {
        data.u8(1);
        data.block16(() => {});
        data.block16(() => {});
      });
      return;
    // RFC 8446 §4.2.7 (RFC 8422 §5.1.1 for TLS ≤ 1.2): NamedGroupList.
    case 'supported_groups':
      writer
        .u16(ExtensionType.supportedGroups)
        .block16((data) =>
          data.block16((list) => extension.groups.forEach((group) => list.u16(group))),
        );
      return;
    // RFC 8422 §5.1.2: ECPointFormatList.
    case 'ec_point_formats':
      writer
        .u16(ExtensionType.ecPointFormats)
        .block16((data) =>
          data.block8((list) => extension.formats.forEach((format) => list.u8(format))),
        );
      return;
    // RFC 8446 §4.2.3 (RFC 5246 §7.4.1.4.1): SignatureSchemeList.
    case 'signature_algorithms':
    case 'signature_algorithms_cert': {
      const code =
        extension.type === 'signature_algorithms'
          ? ExtensionType.signatureAlgorithms
          : ExtensionType.signatureAlgorithmsCert;
      writer
        .u16(code)
        .block16((data) =>
          data.block16((list) => extension.schemes.forEach((scheme) => list.u16(scheme))),
        );
      return;
    }
    // RFC 7301 §3.1: ProtocolNameList of non-empty opaque<1..2^8-1> names.
    case 'alpn':
      writer
        .u16(ExtensionType.alpn)
        .block16((data) =>
          data.block16((list) =>
            extension.protocols.forEach((protocol) =>
              list.block8((name) => name.bytes(Buffer.from(protocol, 'utf8'))),
            ),
          ),
        );
      return;
    // RFC 7366 §2: empty extension_data.
    case 'encrypt_then_mac':
      writer.u16(ExtensionType.encryptThenMac).block16(() => {});
      return;
    // RFC 7627 §5.1: empty extension_data.
    case 'extended_master_secret':
      writer.u16(ExtensionType.extendedMasterSecret).block16(() => {});
      return;
    // RFC 5077 §3.2: the ticket itself, or nothing to ask for a new one.
    case 'session_ticket':
      writer.u16(ExtensionType.sessionTicket).block16((data) => data.bytes(extension.ticket));
      return;
    // RFC 8446 §4.2.1: ProtocolVersion versions<2..254>.
    case 'supported_versions':
      writer
        .u16(ExtensionType.supportedVersions)
        .block16((data) =>
          data.block8((list) => extension.versions.forEach((version) => list.u16(version))),
        );
      return;
    // RFC 8446 §4.2.9: PskKeyExchangeMode ke_modes<1..255>.
    case 'psk_key_exchange_modes':
      writer
        .u16(ExtensionType.pskKeyExchangeModes)
        .block16((data) => data.block8((list) => extension.modes.forEach((mode) => list.u8(mode))));
      return;
    // RFC 8446 §4.2.8: KeyShareClientHello { KeyShareEntry client_shares<0..2^16-1>; }.
    case 'key_share':
      writer
        .u16(ExtensionType.keyShare)
        .block16((data) =>
          data.block16((list) =>
            extension.shares.forEach((share) =>
              list.u16(share.group).block16((key) => key.bytes(share.keyExchange)),
            ),
          ),
        );
      return;
    // RFC 5746 §3.2: renegotiated_connection<0..255>, empty on an initial handshake.
    case 'renegotiation_info':
      writer
        .u16(ExtensionType.renegotiationInfo)
        .block16((data) => data.block8((info) => info.bytes(extension.renegotiatedConnection)));
      return;
    // RFC 7685 §3: zero bytes, to move a hello out of the 256–511-byte range some servers choke on.
    case 'padding':
      writer
        .u16(ExtensionType.padding)
        .block16((data) => data.bytes(new Uint8Array(extension.length)));
      return;
    case 'raw':
      writer.u16(extension.code).block16((data) => data.bytes(extension.data));
      return;
  }
}
