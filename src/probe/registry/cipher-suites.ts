import { hex16 } from '../wire/hex.js';
import { CIPHER_SUITE_TABLE } from './cipher-suite-table.js';
import type { CipherSuiteRow } from './cipher-suite-types.js';
import { ProtocolVersion } from './versions.js';

export type { CipherSuiteRow } from './cipher-suite-types.js';

/** Signalling values in the cipher-suite list; not suites (RFC 5746 §3.3, RFC 7507 §6). */
export const SignallingSuite = {
  emptyRenegotiationInfo: 0x00ff,
  fallback: 0x5600,
} as const;

const SIGNALLING_NAMES = new Map<number, string>([
  [SignallingSuite.emptyRenegotiationInfo, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'],
  [SignallingSuite.fallback, 'TLS_FALLBACK_SCSV'],
]);

const BY_ID = new Map(CIPHER_SUITE_TABLE.map((row) => [row.id, row]));
const BY_NAME = new Map<string, CipherSuiteRow>();
for (const row of CIPHER_SUITE_TABLE) {
  BY_NAME.set(row.name.toUpperCase(), row);
  if (row.openssl) BY_NAME.set(row.openssl.toUpperCase(), row);
}

/** Every known suite, ordered by code point. */
export function allCipherSuites(): readonly CipherSuiteRow[] {
  return CIPHER_SUITE_TABLE;
}

export function cipherSuiteById(id: number): CipherSuiteRow | undefined {
  return BY_ID.get(id);
}

/** By IANA or OpenSSL name, any case. */
export function cipherSuiteByName(name: string): CipherSuiteRow | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}

/** The IANA name, a signalling value's name, GREASE, or hex: a code point always has a name. */
export function cipherSuiteName(id: number): string {
  return BY_ID.get(id)?.name ?? SIGNALLING_NAMES.get(id) ?? greaseName(id) ?? hex16(id);
}

/**
 * The suites a ClientHello for `version` offers: for TLS 1.3 the TLS 1.3 suites; for SSLv3 to
 * TLS 1.2 every suite defined from that version on (its maxVersion aside: a server that breaks
 * the rules and picks an export suite in TLS 1.2 is exactly what a scan must find).
 */
export function cipherSuitesToOffer(version: number): CipherSuiteRow[] {
  if (version === ProtocolVersion.TLS1_3) {
    return CIPHER_SUITE_TABLE.filter((row) => row.minVersion === 'TLS1.3');
  }
  return CIPHER_SUITE_TABLE.filter(
    (row) => row.minVersion !== 'TLS1.3' && versionNumber(row.minVersion) <= version,
  );
}

/** True for the suites whose key exchange is ephemeral (TLS 1.3 always is). */
export function isForwardSecret(row: CipherSuiteRow): boolean {
  return ['DHE', 'ECDHE', 'DHE_PSK', 'ECDHE_PSK', 'ECCPWD', 'any'].includes(row.kx);
}

/** RFC 8701 GREASE values (0x0a0a, 0x1a1a … 0xfafa). */
export function greaseName(id: number): string | undefined {
  return (id & 0x0f0f) === 0x0a0a && id >> 8 === (id & 0xff) ? `GREASE(${hex16(id)})` : undefined;
}

function versionNumber(name: CipherSuiteRow['minVersion']): number {
  const numbers = {
    SSLv3: ProtocolVersion.SSLv3,
    'TLS1.0': ProtocolVersion.TLS1_0,
    'TLS1.1': ProtocolVersion.TLS1_1,
    'TLS1.2': ProtocolVersion.TLS1_2,
    'TLS1.3': ProtocolVersion.TLS1_3,
  } as const;
  return numbers[name];
}
