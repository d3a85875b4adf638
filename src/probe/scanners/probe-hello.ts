import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import {
  EcPointFormat,
  PskKeyExchangeMode,
  type ClientExtension,
  type KeyShareEntry,
} from '../messages/client-extensions.js';
import { encodeClientHelloRecords, type HelloRandomness } from '../messages/client-hello.js';
import { generateKeyShare } from '../messages/key-shares.js';
import { encodeSslv2ClientHello } from '../messages/sslv2.js';
import { SignallingSuite } from '../registry/cipher-suites.js';
import { ecdheCurves, NamedGroup, tls13Groups } from '../registry/groups.js';
import { allSignatureSchemes } from '../registry/signature-schemes.js';
import { ProtocolVersion, versionOf, type ProtocolName } from '../registry/versions.js';
import { allSslv2CipherSpecs } from '../registry/sslv2-cipher-specs.js';

/**
 * The hellos a scan sends. One policy for all scanners: offer everything the server might pick
 * (every group, every signature scheme) so the only variable is what a probe is asking about.
 */
export interface ProbeHelloOptions {
  protocol: Exclude<ProtocolName, 'SSLv2'>;
  cipherSuites: readonly number[];
  /** SNI; null for none (an IP address is never sent as SNI, RFC 6066 §3). */
  serverName: string | null;
  /** supported_groups; default: every EC curve (≤ 1.2) or every TLS 1.3 group. */
  groups?: readonly number[];
  /** TLS 1.3 key shares; default: X25519 and P-256. An empty list asks for a HelloRetryRequest. */
  keyShareGroups?: readonly number[];
  alpn?: readonly string[];
  /** Append TLS_FALLBACK_SCSV (RFC 7507). */
  fallbackScsv?: boolean;
  /** Ask for a stapled OCSP response (status_request). Default true. */
  statusRequest?: boolean;
}

/** Randomness and key generation, injectable so golden tests encode byte-exact hellos. */
export interface HelloEntropy {
  randomness(): HelloRandomness;
  keyShare(group: number): KeyShareEntry;
  /** SSLv2 CHALLENGE bytes. */
  challenge(): Uint8Array;
}

/** Fresh random values and real ephemeral keys, cached per group for one scan. */
export function createHelloEntropy(): HelloEntropy {
  const shares = new Map<number, KeyShareEntry>();
  return {
    randomness: () => ({ random: randomBytes(32), sessionId: randomBytes(32) }),
    keyShare(group) {
      let share = shares.get(group);
      if (!share) shares.set(group, (share = generateKeyShare(group)));
      return share;
    },
    challenge: () => randomBytes(16),
  };
}

/** Signature schemes, strongest first; legacy ones last so old servers still find theirs. */
export const OFFERED_SIGNATURE_SCHEMES = orderSignatureSchemes();

/** TLS ≤ 1.2 curves in the order browsers offer the common ones, then the rest. */
export const OFFERED_ECDHE_CURVES = orderGroups(ecdheCurves().map((row) => row.id));
export const OFFERED_TLS13_GROUPS = orderGroups(tls13Groups().map((row) => row.id));
export const DEFAULT_KEY_SHARE_GROUPS = [NamedGroup.x25519, NamedGroup.secp256r1];

/** The hello as records, ready to send. */
export function encodeProbeHello(options: ProbeHelloOptions, entropy: HelloEntropy): Uint8Array {
  const version = versionOf(options.protocol);
  const suites = [...options.cipherSuites];
  if (options.fallbackScsv) suites.push(SignallingSuite.fallback);
  if (options.protocol === 'SSLv3') {
    // No extensions in SSLv3: the renegotiation SCSV stands in for renegotiation_info (RFC 5746 §3.3).
    suites.push(SignallingSuite.emptyRenegotiationInfo);
    return encodeClientHelloRecords(
      { version, recordVersion: ProtocolVersion.SSLv3, cipherSuites: suites, extensions: [] },
      entropy.randomness(),
    );
  }
  const extensions =
    options.protocol === 'TLS1.3'
      ? tls13Extensions(options, entropy)
      : tls12Extensions(options, version);
  return encodeClientHelloRecords(
    {
      version: Math.min(version, ProtocolVersion.TLS1_2),
      recordVersion: ProtocolVersion.TLS1_0,
      cipherSuites: suites,
      // DEFLATE first: a server that still compresses (CRIME) picks it, others ignore it.
      compressionMethods: options.protocol === 'TLS1.3' ? [0] : [1, 0],
      extensions,
      padToAvoidF5Bug: true,
    },
    entropy.randomness(),
  );
}

/** An SSLv2 CLIENT-HELLO offering every SSLv2 cipher kind. */
export function encodeSslv2ProbeHello(entropy: HelloEntropy): Uint8Array {
  return encodeSslv2ClientHello(
    { version: ProtocolVersion.SSLv2, cipherSpecs: allSslv2CipherSpecs().map((spec) => spec.id) },
    entropy.challenge(),
  );
}

/** The name to send as SNI: the given one, unless it is an IP address. */
export function sniName(name: string | null): string | null {
  return name && isIP(name) === 0 ? name : null;
}

function tls12Extensions(options: ProbeHelloOptions, version: number): ClientExtension[] {
  const extensions: ClientExtension[] = [];
  const serverName = sniName(options.serverName);
  if (serverName) extensions.push({ type: 'server_name', hostName: serverName });
  extensions.push({
    type: 'ec_point_formats',
    formats: [
      EcPointFormat.uncompressed,
      EcPointFormat.ansiX962CompressedPrime,
      EcPointFormat.ansiX962CompressedChar2,
    ],
  });
  extensions.push({ type: 'supported_groups', groups: options.groups ?? OFFERED_ECDHE_CURVES });
  extensions.push({ type: 'session_ticket', ticket: new Uint8Array(0) });
  if (options.statusRequest ?? true) extensions.push({ type: 'status_request' });
  // RFC 5246 §7.4.1.4.1: only TLS 1.2 clients send signature_algorithms.
  if (version >= ProtocolVersion.TLS1_2) {
    extensions.push({ type: 'signature_algorithms', schemes: OFFERED_SIGNATURE_SCHEMES });
  }
  extensions.push({ type: 'encrypt_then_mac' });
  extensions.push({ type: 'extended_master_secret' });
  extensions.push({ type: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) });
  if (options.alpn?.length) extensions.push({ type: 'alpn', protocols: options.alpn });
  return extensions;
}

function tls13Extensions(options: ProbeHelloOptions, entropy: HelloEntropy): ClientExtension[] {
  const extensions: ClientExtension[] = [];
  const serverName = sniName(options.serverName);
  if (serverName) extensions.push({ type: 'server_name', hostName: serverName });
  extensions.push({ type: 'supported_versions', versions: [ProtocolVersion.TLS1_3] });
  extensions.push({ type: 'supported_groups', groups: options.groups ?? OFFERED_TLS13_GROUPS });
  const shareGroups = options.keyShareGroups ?? DEFAULT_KEY_SHARE_GROUPS;
  extensions.push({
    type: 'key_share',
    shares: shareGroups.map((group) => entropy.keyShare(group)),
  });
  extensions.push({ type: 'signature_algorithms', schemes: OFFERED_SIGNATURE_SCHEMES });
  extensions.push({ type: 'psk_key_exchange_modes', modes: [PskKeyExchangeMode.psk_dhe_ke] });
  if (options.alpn?.length) extensions.push({ type: 'alpn', protocols: options.alpn });
  return extensions;
}

function orderSignatureSchemes(): number[] {
  const preferred = [
    0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0807, 0x0808, 0x0806, 0x0601, 0x0603,
  ];
  const rest = allSignatureSchemes()
    .map((row) => row.id)
    .filter((id) => !preferred.includes(id));
  return [...preferred, ...rest];
}

function orderGroups(ids: readonly number[]): number[] {
  const preferred: number[] = [
    NamedGroup.x25519,
    NamedGroup.secp256r1,
    NamedGroup.x448,
    NamedGroup.secp521r1,
    NamedGroup.secp384r1,
  ].filter((id) => ids.includes(id));
  return [...preferred, ...ids.filter((id) => !preferred.includes(id))];
}
