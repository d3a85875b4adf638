/** Report entries for what the scanners found: suites, SSLv2 cipher kinds, groups. */
import type { GroupReport, GroupsReport, SuiteReport } from './report.js';
import { rateSslv2Spec, rateSuite } from './rating.js';
import { cipherSuiteById, cipherSuiteName } from './registry/cipher-suites.js';
import { groupById, groupName } from './registry/groups.js';
import { sslv2CipherSpecById, sslv2CipherSpecHex } from './registry/sslv2-cipher-specs.js';
import type { Enumeration } from './scanners/enumerate.js';
import { hex16 } from './wire/hex.js';

export function suiteReport(id: number): SuiteReport {
  const suite = cipherSuiteById(id);
  if (!suite) {
    return {
      id: hex16(id),
      name: cipherSuiteName(id),
      openssl: null,
      kx: 'unknown',
      au: 'unknown',
      enc: 'unknown',
      mode: 'unknown',
      bits: 0,
      mac: 'unknown',
      strength: 'weak',
      reasons: ['unknown suite'],
    };
  }
  const rating = rateSuite(suite);
  return {
    id: hex16(id),
    name: suite.name,
    openssl: suite.openssl,
    kx: suite.kx,
    au: suite.au,
    enc: suite.enc,
    mode: suite.mode,
    bits: suite.bits,
    mac: suite.mac,
    strength: rating.strength,
    reasons: rating.reasons,
  };
}

export function sslv2SuiteReport(id: number): SuiteReport {
  const spec = sslv2CipherSpecById(id);
  const rating = rateSslv2Spec();
  return {
    id: sslv2CipherSpecHex(id),
    name: spec?.name ?? sslv2CipherSpecHex(id),
    openssl: spec?.openssl ?? null,
    kx: 'RSA',
    au: 'RSA',
    enc: spec?.enc ?? 'unknown',
    mode: 'unknown',
    bits: spec?.bits ?? 0,
    mac: 'MD5',
    strength: rating.strength,
    reasons: rating.reasons,
  };
}

export function groupsReportOf(enumeration: Enumeration<number>): GroupsReport {
  return {
    groups: enumeration.found.map(groupReportOf),
    serverPreference: preferenceOf(enumeration),
    complete: enumeration.complete,
    error: enumeration.error,
  };
}

export function groupReportOf(id: number): GroupReport {
  const row = groupById(id);
  return { id: hex16(id), name: groupName(id), bits: row ? row.bits : null };
}

export function preferenceOf(enumeration: Enumeration<unknown>): boolean | null {
  return enumeration.preference === null ? null : enumeration.preference === 'server';
}
