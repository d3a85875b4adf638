/**
 * `--expect`: assertions a scan must meet, for CI. The grammar, small on purpose:
 *
 *   expectations := assertion ("," assertion)*
 *   assertion    := ["!"] FLAG  |  MEASURE OP VALUE
 *   OP           := "=" | "!=" | ">=" | "<="
 *   VALUE        := ITEM ("+" ITEM)*           (several items only for set measures)
 *
 * Ordered measures compare: minVersion, maxVersion (SSLv2 < … < TLS1.3), grade (F < C < B < A),
 * dhBits (the smallest DH prime; met when no DHE suite is on), certDaysLeft (the leaf closest to
 * expiry). `minVersion>=TLS1.2` reads "the oldest protocol on is TLS 1.2 or newer".
 *
 * Set measures: protocols, ciphers (IANA or OpenSSL names, or hex ids, over every protocol),
 * groups (TLS 1.3 groups and TLS ≤ 1.2 curves), alpn. `=` exactly these, `>=` at least these,
 * `<=` only these, `!=` none of these: `groups>=x25519`, `ciphers!=DES-CBC3-SHA+RC4-SHA`.
 *
 * Flags: noWeakCiphers, forwardSecrecy (every suite), serverPreference (every protocol with two
 * or more suites), secureRenegotiation, fallbackScsv, ocspStapling, compression, sessionIds,
 * sessionTickets, extendedMasterSecret, encryptThenMac, certTrusted, hostnameMatch; `!` negates
 * (`!compression`).
 *
 * Example: --expect "minVersion=TLS1.2,noWeakCiphers,groups>=x25519,grade>=B,certDaysLeft>=30"
 */
import { UsageError } from '../errors.js';
import type { ExpectationResult, TargetReport } from './report.js';
import { cipherSuiteById, cipherSuiteByName } from './registry/cipher-suites.js';
import { groupById, groupByName } from './registry/groups.js';
import { PROTOCOL_NAMES, parseProtocolName, type ProtocolName } from './registry/versions.js';
import { parseHexCode } from './wire/hex.js';

export type ScannerName = 'protocols' | 'ciphers' | 'groups' | 'certificates' | 'extras';

type Operator = '=' | '!=' | '>=' | '<=';

export type Expectation =
  | { kind: 'flag'; text: string; name: FlagName; negated: boolean }
  | { kind: 'ordered'; text: string; name: OrderedName; operator: Operator; value: number }
  | { kind: 'set'; text: string; name: SetName; operator: Operator; values: string[] };

const FLAGS = {
  noWeakCiphers: 'ciphers',
  forwardSecrecy: 'ciphers',
  serverPreference: 'ciphers',
  secureRenegotiation: 'extras',
  fallbackScsv: 'extras',
  ocspStapling: 'extras',
  compression: 'extras',
  sessionIds: 'extras',
  sessionTickets: 'extras',
  extendedMasterSecret: 'extras',
  encryptThenMac: 'extras',
  certTrusted: 'certificates',
  hostnameMatch: 'certificates',
} as const satisfies Record<string, ScannerName>;
type FlagName = keyof typeof FLAGS;

const ORDERED = {
  minVersion: 'protocols',
  maxVersion: 'protocols',
  grade: 'ciphers',
  dhBits: 'groups',
  certDaysLeft: 'certificates',
} as const satisfies Record<string, ScannerName>;
type OrderedName = keyof typeof ORDERED;

const SETS = {
  protocols: 'protocols',
  ciphers: 'ciphers',
  groups: 'groups',
  alpn: 'extras',
} as const satisfies Record<string, ScannerName>;
type SetName = keyof typeof SETS;

const GRADE_RANK: Record<string, number> = { F: 0, C: 1, B: 2, A: 3 };

/** Parses the --expect text; a mistake is a usage error naming the assertion. */
export function parseExpectations(text: string): Expectation[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) throw usage(text, 'no assertions');
  return parts.map(parseAssertion);
}

/** The scanners an expectation needs: the scan turns them on. */
export function scannersFor(expectations: readonly Expectation[]): Set<ScannerName> {
  const needed = new Set<ScannerName>();
  for (const expectation of expectations) {
    if (expectation.kind === 'flag') needed.add(FLAGS[expectation.name]);
    else if (expectation.kind === 'ordered') needed.add(ORDERED[expectation.name]);
    else needed.add(SETS[expectation.name]);
    // The grade rates DH sizes and compression too.
    if (expectation.kind === 'ordered' && expectation.name === 'grade') {
      needed.add('groups');
      needed.add('extras');
    }
  }
  return needed;
}

export function evaluateExpectations(
  expectations: readonly Expectation[],
  report: TargetReport,
): ExpectationResult[] {
  return expectations.map((expectation) => {
    const { passed, actual } = evaluate(expectation, report);
    return { expectation: expectation.text, passed, actual };
  });
}

function parseAssertion(text: string): Expectation {
  const match = /^(!?)([A-Za-z0-9]+)\s*(?:(>=|<=|!=|=)\s*(.+))?$/.exec(text);
  if (!match) throw usage(text, 'not NAME, !NAME or NAME OP VALUE');
  const [, bang, name = '', operator, value] = match;
  if (name in FLAGS) {
    if (operator) throw usage(text, `${name} is a flag: write "${name}" or "!${name}"`);
    return { kind: 'flag', text, name: name as FlagName, negated: bang === '!' };
  }
  if (bang) throw usage(text, 'only flags can be negated with "!"');
  if (!operator || value === undefined) throw usage(text, `${name} needs an operator and a value`);
  const op = operator as Operator;
  if (name in ORDERED) {
    return {
      kind: 'ordered',
      text,
      name: name as OrderedName,
      operator: op,
      value: orderedValue(name as OrderedName, value.trim(), text),
    };
  }
  if (name in SETS) {
    const values = value
      .split('+')
      .map((item) => canonicalItem(name as SetName, item.trim(), text));
    return { kind: 'set', text, name: name as SetName, operator: op, values };
  }
  throw usage(
    text,
    `unknown name "${name}" (known: ${[...Object.keys(FLAGS), ...Object.keys(ORDERED), ...Object.keys(SETS)].join(', ')})`,
  );
}

function orderedValue(name: OrderedName, value: string, text: string): number {
  if (name === 'minVersion' || name === 'maxVersion') {
    const protocol = parseProtocolName(value);
    if (!protocol) throw usage(text, `"${value}" is not a protocol (${PROTOCOL_NAMES.join(', ')})`);
    return PROTOCOL_NAMES.indexOf(protocol);
  }
  if (name === 'grade') {
    const rank = GRADE_RANK[value.toUpperCase()];
    if (rank === undefined) throw usage(text, `"${value}" is not a grade (A, B, C, F)`);
    return rank;
  }
  if (!/^\d+$/.test(value)) throw usage(text, `"${value}" is not a whole number`);
  return Number(value);
}

/** Names items the way reports do, so comparisons are exact. */
function canonicalItem(name: SetName, item: string, text: string): string {
  if (!item) throw usage(text, 'an empty item');
  if (name === 'protocols') {
    const protocol = parseProtocolName(item);
    if (!protocol) throw usage(text, `"${item}" is not a protocol`);
    return protocol;
  }
  if (name === 'ciphers') {
    const hex = parseHexCode(item);
    const suite = cipherSuiteByName(item) ?? (hex === undefined ? undefined : cipherSuiteById(hex));
    if (!suite) throw usage(text, `"${item}" is not a cipher suite`);
    return suite.name;
  }
  if (name === 'groups') {
    const hex = parseHexCode(item);
    const group = groupByName(item) ?? (hex === undefined ? undefined : groupById(hex));
    if (!group) throw usage(text, `"${item}" is not a group`);
    return group.name;
  }
  return item;
}

function evaluate(
  expectation: Expectation,
  report: TargetReport,
): { passed: boolean; actual: string } {
  if (expectation.kind === 'flag') {
    const value = flagValue(expectation.name, report);
    if (value === null) return { passed: false, actual: 'unknown' };
    return { passed: value !== expectation.negated, actual: String(value) };
  }
  if (expectation.kind === 'ordered') {
    const measured = orderedActual(expectation.name, report);
    if (measured === null) return { passed: false, actual: 'unknown' };
    if (measured.value === null) return { passed: true, actual: measured.text };
    return {
      passed: compare(measured.value, expectation.operator, expectation.value),
      actual: measured.text,
    };
  }
  const actual = setActual(expectation.name, report);
  if (actual === null) return { passed: false, actual: 'unknown' };
  return {
    passed: compareSets(actual, expectation.operator, expectation.values),
    actual: actual.join('+') || '(none)',
  };
}

function supportedProtocols(report: TargetReport): ProtocolName[] | null {
  if (
    report.status !== 'scanned' ||
    report.protocols.some((protocol) => protocol.supported === null)
  )
    return null;
  return report.protocols
    .filter((protocol) => protocol.supported)
    .map((protocol) => protocol.protocol);
}

function allSuites(report: TargetReport) {
  return report.cipherSuites?.flatMap((section) => section.suites) ?? null;
}

function flagValue(name: FlagName, report: TargetReport): boolean | null {
  const suites = allSuites(report);
  const extras = report.extras;
  const leafChains = report.certificates?.filter((chain) => chain.chain.length > 0) ?? null;
  switch (name) {
    case 'noWeakCiphers':
      return suites && !suites.some((suite) => suite.strength === 'weak');
    case 'forwardSecrecy':
      return suites && !suites.some((suite) => suite.reasons.includes('no forward secrecy'));
    case 'serverPreference': {
      const sections = report.cipherSuites?.filter((section) => section.suites.length > 1) ?? null;
      return sections && sections.every((section) => section.serverPreference === true);
    }
    case 'certTrusted':
      return leafChains && leafChains.length > 0
        ? leafChains.every((chain) => chain.trust.trusted)
        : null;
    case 'hostnameMatch':
      return leafChains && leafChains.length > 0
        ? leafChains.every((chain) => chain.hostnameMatch)
        : null;
    case 'ocspStapling':
      if (report.certificates?.some((chain) => chain.ocsp.stapled)) return true;
      return extras?.ocspStapling ?? null;
    default:
      return extras?.[name] ?? null;
  }
}

/** The measured value, or value null when there is nothing to measure (no DHE suite at all). */
function orderedActual(
  name: OrderedName,
  report: TargetReport,
): { value: number | null; text: string } | null {
  switch (name) {
    case 'minVersion':
    case 'maxVersion': {
      const protocols = supportedProtocols(report);
      if (!protocols || protocols.length === 0) return null;
      const protocol = (name === 'minVersion' ? protocols[0] : protocols.at(-1)) as ProtocolName;
      return { value: PROTOCOL_NAMES.indexOf(protocol), text: protocol };
    }
    case 'grade': {
      const rank = GRADE_RANK[report.rating.grade];
      return rank === undefined ? null : { value: rank, text: report.rating.grade };
    }
    case 'dhBits': {
      if (!report.keyExchange) return null;
      const dhe = report.keyExchange.dhe;
      if (!dhe) return { value: null, text: 'no DHE suites' };
      return dhe.primeBits ? { value: dhe.primeBits, text: String(dhe.primeBits) } : null;
    }
    case 'certDaysLeft': {
      const leaves = report.certificates?.flatMap((chain) => chain.chain.slice(0, 1)) ?? [];
      if (leaves.length === 0) return null;
      const days = Math.min(...leaves.map((leaf) => leaf.daysLeft));
      return { value: days, text: String(days) };
    }
  }
}

function setActual(name: SetName, report: TargetReport): string[] | null {
  switch (name) {
    case 'protocols':
      return supportedProtocols(report);
    case 'ciphers': {
      const suites = allSuites(report);
      return suites && [...new Set(suites.map((suite) => suite.name))];
    }
    case 'groups': {
      const exchange = report.keyExchange;
      if (!exchange) return null;
      const names = [...(exchange.tls13?.groups ?? []), ...(exchange.ecdhe?.groups ?? [])].map(
        (group) => group.name,
      );
      return [...new Set(names)];
    }
    case 'alpn':
      return report.extras?.alpn?.supported ?? null;
  }
}

function compare(actual: number, operator: Operator, expected: number): boolean {
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
  }
}

function compareSets(
  actual: readonly string[],
  operator: Operator,
  expected: readonly string[],
): boolean {
  switch (operator) {
    case '=':
      return actual.length === expected.length && expected.every((item) => actual.includes(item));
    case '>=':
      return expected.every((item) => actual.includes(item));
    case '<=':
      return actual.every((item) => expected.includes(item));
    case '!=':
      return !expected.some((item) => actual.includes(item));
  }
}

function usage(text: string, problem: string): UsageError {
  return new UsageError(`--expect "${text}": ${problem}`, {
    hint: 'e.g. --expect "minVersion=TLS1.2,noWeakCiphers,groups>=x25519"',
  });
}
