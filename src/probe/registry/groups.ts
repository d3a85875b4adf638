import { hex16 } from '../wire/hex.js';
import { greaseName } from './cipher-suites.js';

/**
 * The IANA "TLS Supported Groups" registry (RFC 8446 §4.2.7, RFC 8422 §5.1.1, RFC 7919, the
 * ML-KEM drafts), as data. `tls13` marks groups TLS 1.3 allows; `kind` says what the group is.
 */
export type GroupKind = 'ec' | 'ecx' | 'ffdhe' | 'pq' | 'hybrid' | 'explicit';

export interface GroupRow {
  id: number;
  /** IANA's name. */
  name: string;
  /** OpenSSL's name where it differs (`prime256v1` for secp256r1), for matching user input. */
  aliases: readonly string[];
  kind: GroupKind;
  /** Field or modulus size in bits (the classical part for hybrids). */
  bits: number;
  tls13: boolean;
}

// prettier-ignore
const GROUP_TABLE: readonly GroupRow[] = [
  { id: 0x0001, name: 'sect163k1', aliases: ['K-163'], kind: 'ec', bits: 163, tls13: false },
  { id: 0x0002, name: 'sect163r1', aliases: [], kind: 'ec', bits: 163, tls13: false },
  { id: 0x0003, name: 'sect163r2', aliases: ['B-163'], kind: 'ec', bits: 163, tls13: false },
  { id: 0x0004, name: 'sect193r1', aliases: [], kind: 'ec', bits: 193, tls13: false },
  { id: 0x0005, name: 'sect193r2', aliases: [], kind: 'ec', bits: 193, tls13: false },
  { id: 0x0006, name: 'sect233k1', aliases: ['K-233'], kind: 'ec', bits: 233, tls13: false },
  { id: 0x0007, name: 'sect233r1', aliases: ['B-233'], kind: 'ec', bits: 233, tls13: false },
  { id: 0x0008, name: 'sect239k1', aliases: [], kind: 'ec', bits: 239, tls13: false },
  { id: 0x0009, name: 'sect283k1', aliases: ['K-283'], kind: 'ec', bits: 283, tls13: false },
  { id: 0x000a, name: 'sect283r1', aliases: ['B-283'], kind: 'ec', bits: 283, tls13: false },
  { id: 0x000b, name: 'sect409k1', aliases: ['K-409'], kind: 'ec', bits: 409, tls13: false },
  { id: 0x000c, name: 'sect409r1', aliases: ['B-409'], kind: 'ec', bits: 409, tls13: false },
  { id: 0x000d, name: 'sect571k1', aliases: ['K-571'], kind: 'ec', bits: 571, tls13: false },
  { id: 0x000e, name: 'sect571r1', aliases: ['B-571'], kind: 'ec', bits: 571, tls13: false },
  { id: 0x000f, name: 'secp160k1', aliases: [], kind: 'ec', bits: 160, tls13: false },
  { id: 0x0010, name: 'secp160r1', aliases: [], kind: 'ec', bits: 160, tls13: false },
  { id: 0x0011, name: 'secp160r2', aliases: [], kind: 'ec', bits: 160, tls13: false },
  { id: 0x0012, name: 'secp192k1', aliases: [], kind: 'ec', bits: 192, tls13: false },
  { id: 0x0013, name: 'secp192r1', aliases: ['P-192', 'prime192v1'], kind: 'ec', bits: 192, tls13: false },
  { id: 0x0014, name: 'secp224k1', aliases: [], kind: 'ec', bits: 224, tls13: false },
  { id: 0x0015, name: 'secp224r1', aliases: ['P-224'], kind: 'ec', bits: 224, tls13: false },
  { id: 0x0016, name: 'secp256k1', aliases: [], kind: 'ec', bits: 256, tls13: false },
  { id: 0x0017, name: 'secp256r1', aliases: ['P-256', 'prime256v1'], kind: 'ec', bits: 256, tls13: true },
  { id: 0x0018, name: 'secp384r1', aliases: ['P-384'], kind: 'ec', bits: 384, tls13: true },
  { id: 0x0019, name: 'secp521r1', aliases: ['P-521'], kind: 'ec', bits: 521, tls13: true },
  { id: 0x001a, name: 'brainpoolP256r1', aliases: [], kind: 'ec', bits: 256, tls13: false },
  { id: 0x001b, name: 'brainpoolP384r1', aliases: [], kind: 'ec', bits: 384, tls13: false },
  { id: 0x001c, name: 'brainpoolP512r1', aliases: [], kind: 'ec', bits: 512, tls13: false },
  { id: 0x001d, name: 'x25519', aliases: ['X25519'], kind: 'ecx', bits: 255, tls13: true },
  { id: 0x001e, name: 'x448', aliases: ['X448'], kind: 'ecx', bits: 448, tls13: true },
  { id: 0x001f, name: 'brainpoolP256r1tls13', aliases: [], kind: 'ec', bits: 256, tls13: true },
  { id: 0x0020, name: 'brainpoolP384r1tls13', aliases: [], kind: 'ec', bits: 384, tls13: true },
  { id: 0x0021, name: 'brainpoolP512r1tls13', aliases: [], kind: 'ec', bits: 512, tls13: true },
  { id: 0x0022, name: 'GC256A', aliases: [], kind: 'ec', bits: 256, tls13: true },
  { id: 0x0023, name: 'GC256B', aliases: [], kind: 'ec', bits: 256, tls13: true },
  { id: 0x0024, name: 'GC256C', aliases: [], kind: 'ec', bits: 256, tls13: true },
  { id: 0x0025, name: 'GC256D', aliases: [], kind: 'ec', bits: 256, tls13: true },
  { id: 0x0026, name: 'GC512A', aliases: [], kind: 'ec', bits: 512, tls13: true },
  { id: 0x0027, name: 'GC512B', aliases: [], kind: 'ec', bits: 512, tls13: true },
  { id: 0x0028, name: 'GC512C', aliases: [], kind: 'ec', bits: 512, tls13: true },
  { id: 0x0029, name: 'curveSM2', aliases: ['SM2'], kind: 'ec', bits: 256, tls13: true },
  { id: 0x0100, name: 'ffdhe2048', aliases: [], kind: 'ffdhe', bits: 2048, tls13: true },
  { id: 0x0101, name: 'ffdhe3072', aliases: [], kind: 'ffdhe', bits: 3072, tls13: true },
  { id: 0x0102, name: 'ffdhe4096', aliases: [], kind: 'ffdhe', bits: 4096, tls13: true },
  { id: 0x0103, name: 'ffdhe6144', aliases: [], kind: 'ffdhe', bits: 6144, tls13: true },
  { id: 0x0104, name: 'ffdhe8192', aliases: [], kind: 'ffdhe', bits: 8192, tls13: true },
  { id: 0x0200, name: 'MLKEM512', aliases: [], kind: 'pq', bits: 512, tls13: true },
  { id: 0x0201, name: 'MLKEM768', aliases: [], kind: 'pq', bits: 768, tls13: true },
  { id: 0x0202, name: 'MLKEM1024', aliases: [], kind: 'pq', bits: 1024, tls13: true },
  { id: 0x11eb, name: 'SecP256r1MLKEM768', aliases: [], kind: 'hybrid', bits: 256, tls13: true },
  { id: 0x11ec, name: 'X25519MLKEM768', aliases: [], kind: 'hybrid', bits: 255, tls13: true },
  { id: 0x11ed, name: 'SecP384r1MLKEM1024', aliases: [], kind: 'hybrid', bits: 384, tls13: true },
  { id: 0x6399, name: 'X25519Kyber768Draft00', aliases: [], kind: 'hybrid', bits: 255, tls13: true },
  { id: 0x639a, name: 'SecP256r1Kyber768Draft00', aliases: [], kind: 'hybrid', bits: 256, tls13: true },
  { id: 0xff01, name: 'arbitrary_explicit_prime_curves', aliases: [], kind: 'explicit', bits: 0, tls13: false },
  { id: 0xff02, name: 'arbitrary_explicit_char2_curves', aliases: [], kind: 'explicit', bits: 0, tls13: false },
];

export const NamedGroup = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  ffdhe2048: 0x0100,
} as const;

const BY_ID = new Map(GROUP_TABLE.map((row) => [row.id, row]));
const BY_NAME = new Map<string, GroupRow>();
for (const row of GROUP_TABLE) {
  for (const name of [row.name, ...row.aliases]) BY_NAME.set(name.toLowerCase(), row);
}

export function allGroups(): readonly GroupRow[] {
  return GROUP_TABLE;
}

export function groupById(id: number): GroupRow | undefined {
  return BY_ID.get(id);
}

/** By IANA name or OpenSSL alias, any case (`x25519`, `P-256`, `prime256v1`). */
export function groupByName(name: string): GroupRow | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** IANA name, GREASE, or hex. */
export function groupName(id: number): string {
  return BY_ID.get(id)?.name ?? greaseName(id) ?? hex16(id);
}

/** Groups a TLS 1.3 ClientHello may offer, in table order. */
export function tls13Groups(): GroupRow[] {
  return GROUP_TABLE.filter((row) => row.tls13);
}

/** Elliptic curves for TLS ≤ 1.2 ECDHE (RFC 8422 §5.1.1, RFC 7027, RFC 8446's X25519/X448). */
export function ecdheCurves(): GroupRow[] {
  return GROUP_TABLE.filter((row) => (row.kind === 'ec' || row.kind === 'ecx') && row.id <= 0x001e);
}

/** The RFC 7919 finite-field groups. */
export function ffdheGroups(): GroupRow[] {
  return GROUP_TABLE.filter((row) => row.kind === 'ffdhe');
}
