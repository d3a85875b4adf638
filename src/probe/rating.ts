/**
 * Ratings, by rules written down here and nowhere else.
 *
 * A suite is rated on its own:
 *   weak   — no encryption (NULL), no server authentication (anon), export grade, RC4, DES, 3DES,
 *            IDEA or RC2 (56-bit keys or 64-bit blocks: Sweet32), fewer than 128 key bits, an MD5
 *            MAC, or any SSLv2 cipher kind.
 *   ok     — sound, but: no forward secrecy (static RSA/DH/ECDH, plain PSK), CBC mode
 *            (MAC-then-encrypt: Lucky13, padding oracles), a SHA-1 MAC, or CCM_8's 64-bit tag.
 *   strong — forward secret and AEAD (GCM, CCM, ChaCha20-Poly1305), 128 bits or more.
 * Each rule that applies adds its reason.
 *
 * The server's grade starts at A and each finding caps it:
 *   F — SSLv2; any NULL, anonymous or export suite; DH parameters below 1024 bits.
 *   C — SSLv3; any RC4, DES, 3DES, IDEA or RC2 suite; TLS compression (CRIME); no secure
 *       renegotiation (RFC 5746) on a TLS ≤ 1.2 server.
 *   B — TLS 1.0 or 1.1; any suite without forward secrecy; no AEAD suite at all; DH parameters
 *       below 2048 bits.
 * No protocol found: no grade (`-`). Certificates are not graded: their problems (expired, not
 * trusted, wrong name) are findings of their own, and `--expect certTrusted,hostnameMatch` gates
 * them.
 */
import type { CipherSuiteRow } from './registry/cipher-suite-types.js';
import { isForwardSecret } from './registry/cipher-suites.js';
import type { ProtocolName } from './registry/versions.js';

export type Strength = 'weak' | 'ok' | 'strong';
export type Grade = 'A' | 'B' | 'C' | 'F' | '-';

export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'F'];

export interface SuiteRating {
  strength: Strength;
  reasons: string[];
}

const SMALL_BLOCK_CIPHERS = new Set(['DES', '3DES', 'IDEA', 'RC2']);
const AEAD_MODES = new Set(['GCM', 'CCM', 'CCM_8', 'POLY1305', 'AEAD', 'MGM']);

export function rateSuite(suite: CipherSuiteRow): SuiteRating {
  const weak: string[] = [];
  if (suite.enc === 'NULL') weak.push('no encryption');
  if (suite.au === 'anon' || suite.au === 'NULL') weak.push('no server authentication');
  if (suite.export) weak.push('export grade');
  if (suite.enc === 'RC4') weak.push('RC4');
  if (SMALL_BLOCK_CIPHERS.has(suite.enc)) weak.push(`${suite.enc} (small keys or 64-bit blocks)`);
  if (suite.enc !== 'NULL' && suite.bits < 128) weak.push(`${suite.bits}-bit key`);
  if (suite.mac === 'MD5') weak.push('MD5 MAC');
  const caveats: string[] = [];
  if (!isForwardSecret(suite)) caveats.push('no forward secrecy');
  if (suite.mode === 'CBC') caveats.push('CBC mode');
  if (suite.mac === 'SHA1') caveats.push('SHA-1 MAC');
  if (suite.mode === 'CCM_8') caveats.push('64-bit authentication tag');
  if (weak.length > 0) return { strength: 'weak', reasons: [...weak, ...caveats] };
  if (caveats.length > 0) return { strength: 'ok', reasons: caveats };
  return { strength: 'strong', reasons: [] };
}

/** Every SSLv2 cipher kind is weak: the protocol itself is broken (DROWN). */
export function rateSslv2Spec(): SuiteRating {
  return { strength: 'weak', reasons: ['SSLv2'] };
}

/** What the grade is computed from: a summary any scan produces, however partial. */
export interface GradeInputs {
  protocols: readonly ProtocolName[];
  /** Every suite accepted on any protocol (SSLv2's aside). */
  suites: readonly CipherSuiteRow[];
  /** Smallest DH prime seen, in bits. */
  dhPrimeBits: number | null;
  compression: boolean | null;
  secureRenegotiation: boolean | null;
}

export interface GradeReason {
  /** The grade this finding caps the server at. */
  cap: Exclude<Grade, '-' | 'A'>;
  reason: string;
}

export interface GradeResult {
  grade: Grade;
  reasons: GradeReason[];
}

export function gradeServer(inputs: GradeInputs): GradeResult {
  if (inputs.protocols.length === 0) return { grade: '-', reasons: [] };
  const reasons: GradeReason[] = [];
  const cap = (grade: GradeReason['cap'], reason: string) => reasons.push({ cap: grade, reason });
  const has = (protocol: ProtocolName) => inputs.protocols.includes(protocol);
  const suitesWhere = (test: (suite: CipherSuiteRow) => boolean) =>
    inputs.suites.filter(test).length;

  if (has('SSLv2')) cap('F', 'SSLv2 is enabled');
  const broken = suitesWhere(
    (suite) => suite.enc === 'NULL' || suite.au === 'anon' || suite.au === 'NULL' || suite.export,
  );
  if (broken > 0) cap('F', `${broken} NULL, anonymous or export suite${broken > 1 ? 's' : ''}`);
  if (inputs.dhPrimeBits !== null && inputs.dhPrimeBits < 1024)
    cap('F', `DH parameters of ${inputs.dhPrimeBits} bits`);

  if (has('SSLv3')) cap('C', 'SSLv3 is enabled (POODLE)');
  const legacyCiphers = suitesWhere(
    (suite) => suite.enc === 'RC4' || SMALL_BLOCK_CIPHERS.has(suite.enc),
  );
  if (legacyCiphers > 0)
    cap('C', `${legacyCiphers} RC4, DES, 3DES, IDEA or RC2 suite${legacyCiphers > 1 ? 's' : ''}`);
  if (inputs.compression) cap('C', 'TLS compression is enabled (CRIME)');
  if (inputs.secureRenegotiation === false) cap('C', 'no secure renegotiation (RFC 5746)');

  if (has('TLS1.0') || has('TLS1.1')) cap('B', 'TLS 1.0 or 1.1 is enabled');
  const withoutForwardSecrecy = suitesWhere((suite) => !isForwardSecret(suite));
  if (withoutForwardSecrecy > 0) {
    cap(
      'B',
      `${withoutForwardSecrecy} suite${withoutForwardSecrecy > 1 ? 's' : ''} without forward secrecy`,
    );
  }
  if (inputs.suites.length > 0 && !inputs.suites.some((suite) => AEAD_MODES.has(suite.mode))) {
    cap('B', 'no AEAD suite');
  }
  if (inputs.dhPrimeBits !== null && inputs.dhPrimeBits >= 1024 && inputs.dhPrimeBits < 2048) {
    cap('B', `DH parameters of ${inputs.dhPrimeBits} bits`);
  }
  const order = ['A', 'B', 'C', 'F'] as const;
  const grade = reasons.reduce<Grade>(
    (worst, reason) =>
      order.indexOf(reason.cap) > order.indexOf(worst as 'A') ? reason.cap : worst,
    'A',
  );
  return { grade, reasons };
}
