import { hex16 } from '../wire/hex.js';
import { greaseName } from './cipher-suites.js';

/** The IANA "TLS ExtensionType Values" a scan sends or may meet (RFC 8446 §4.2 and others). */
export const ExtensionType = {
  serverName: 0x0000,
  statusRequest: 0x0005,
  supportedGroups: 0x000a,
  ecPointFormats: 0x000b,
  signatureAlgorithms: 0x000d,
  heartbeat: 0x000f,
  alpn: 0x0010,
  signedCertificateTimestamp: 0x0012,
  padding: 0x0015,
  encryptThenMac: 0x0016,
  extendedMasterSecret: 0x0017,
  compressCertificate: 0x001b,
  recordSizeLimit: 0x001c,
  sessionTicket: 0x0023,
  preSharedKey: 0x0029,
  earlyData: 0x002a,
  supportedVersions: 0x002b,
  cookie: 0x002c,
  pskKeyExchangeModes: 0x002d,
  certificateAuthorities: 0x002f,
  signatureAlgorithmsCert: 0x0032,
  keyShare: 0x0033,
  nextProtocolNegotiation: 0x3374,
  renegotiationInfo: 0xff01,
} as const;

const NAMES = new Map<number, string>([
  [0x0000, 'server_name'],
  [0x0001, 'max_fragment_length'],
  [0x0005, 'status_request'],
  [0x000a, 'supported_groups'],
  [0x000b, 'ec_point_formats'],
  [0x000d, 'signature_algorithms'],
  [0x000f, 'heartbeat'],
  [0x0010, 'application_layer_protocol_negotiation'],
  [0x0012, 'signed_certificate_timestamp'],
  [0x0015, 'padding'],
  [0x0016, 'encrypt_then_mac'],
  [0x0017, 'extended_master_secret'],
  [0x001b, 'compress_certificate'],
  [0x001c, 'record_size_limit'],
  [0x0023, 'session_ticket'],
  [0x0029, 'pre_shared_key'],
  [0x002a, 'early_data'],
  [0x002b, 'supported_versions'],
  [0x002c, 'cookie'],
  [0x002d, 'psk_key_exchange_modes'],
  [0x002f, 'certificate_authorities'],
  [0x0032, 'signature_algorithms_cert'],
  [0x0033, 'key_share'],
  [0x3374, 'next_protocol_negotiation'],
  [0xfe0d, 'encrypted_client_hello'],
  [0xff01, 'renegotiation_info'],
]);

export function extensionName(type: number): string {
  return NAMES.get(type) ?? greaseName(type) ?? hex16(type);
}
