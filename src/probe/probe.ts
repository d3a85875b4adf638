import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { messageOf, errorCode, InputError, UsageError } from '../errors.js';
import { decodePem, looksLikePem } from '../io/pem.js';
import type { StarttlsProtocol } from '../tls/starttls/index.js';
import {
  evaluateExpectations,
  parseExpectations,
  scannersFor,
  type Expectation,
  type ScannerName,
} from './expect.js';
import { gradeServer, rateSslv2Spec, rateSuite } from './rating.js';
import type {
  CipherSuitesReport,
  ExtrasReport,
  Finding,
  GroupReport,
  GroupsReport,
  KeyExchangeReport,
  ProbeReport,
  ProtocolReport,
  SuiteReport,
  TargetReport,
} from './report.js';
import { PROBE_REPORT_SCHEMA_VERSION } from './report.js';
import { cipherSuiteById, cipherSuiteName } from './registry/cipher-suites.js';
import type { CipherSuiteRow } from './registry/cipher-suite-types.js';
import { groupById, groupName } from './registry/groups.js';
import { sslv2CipherSpecById, sslv2CipherSpecHex } from './registry/sslv2-cipher-specs.js';
import {
  compareProtocols,
  PROTOCOL_NAMES,
  versionOf,
  type ProtocolName,
} from './registry/versions.js';
import { collectChains, judgeChains } from './scanners/certificates.js';
import { answerOf, enumerateCipherSuites } from './scanners/cipher-suites.js';
import type { Enumeration } from './scanners/enumerate.js';
import { enumerateAlpn, extrasOfHello, probeFallbackScsv } from './scanners/extras.js';
import {
  enumerateEcdheCurves,
  enumerateTls13Groups,
  keyShareResponseOf,
  probeDhParameters,
  suitesWithKeyExchange,
} from './scanners/groups.js';
import { createHelloEntropy, sniName, type HelloEntropy } from './scanners/probe-hello.js';
import { probeProtocol, type ProtocolProbe } from './scanners/protocols.js';
import { createScanContext, createSemaphore, type ScanContext } from './scanners/scan-context.js';
import { parseTarget, readTargetsFile, type Target } from './targets.js';
import { connectTcp, type Connector } from './transport/connector.js';
import { hex16 } from './wire/hex.js';

export const SCANNERS: readonly ScannerName[] = [
  'protocols',
  'ciphers',
  'groups',
  'certificates',
  'extras',
];
export const DEFAULT_ALPN = ['h2', 'http/1.1'];
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_CONNECTIONS = 3;

export interface ProbeOptions {
  /** `host:port` strings (or parsed targets). */
  targets?: readonly (string | Target)[];
  /** A file of targets, one a line. */
  targetsFile?: string;
  /** What to scan; protocols always. Default: everything. */
  scanners?: readonly ScannerName[];
  /** ALPN protocols to look for. */
  alpn?: readonly string[];
  /** SNI and the name the certificate must match; default: the target's host (no SNI for an IP). */
  serverName?: string;
  starttls?: StarttlsProtocol;
  /** Per connection: connect, STARTTLS and answer. */
  timeoutMs?: number;
  /** Targets scanned at once. */
  concurrency?: number;
  /** Connections open at once to one target. */
  connections?: number;
  /** --expect text. */
  expect?: string;
  /** PEM file of trust anchors; default: Node's bundled roots. */
  caFile?: string;
  /** The clock for certificate validity. */
  now?: Date;
  /** Randomness for hellos; tests inject fixed values. */
  entropy?: () => HelloEntropy;
  /** How connections are opened; tests inject their own. */
  connector?: Connector;
}

interface ResolvedOptions {
  scanners: Set<ScannerName>;
  alpn: readonly string[];
  serverName: string | null;
  starttls: StarttlsProtocol | null;
  timeoutMs: number;
  connections: number;
  expectations: Expectation[] | null;
  anchors: () => Promise<X509Certificate[]>;
  now: Date;
  entropy: () => HelloEntropy;
  connector: Connector;
}

/** Scans every target (a few at a time) and reports on each; one target's failure is its own. */
export async function probe(options: ProbeOptions): Promise<ProbeReport> {
  const startedAt = new Date();
  const resolved = await resolveOptions(options);
  const targets = await resolveTargets(options, resolved.starttls);
  const slots = createSemaphore(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const reports = await Promise.all(
    targets.map((target) => slots.run(() => probeTarget(target, resolved))),
  );
  return {
    schemaVersion: PROBE_REPORT_SCHEMA_VERSION,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    targets: reports,
    expectationsMet: resolved.expectations
      ? reports.every((report) => report.expectations?.every((result) => result.passed) ?? false)
      : null,
  };
}

async function probeTarget(target: Target, options: ResolvedOptions): Promise<TargetReport> {
  const started = Date.now();
  const serverName = options.serverName ?? target.host;
  const context = createScanContext({
    endpoint: {
      host: target.host,
      port: target.port,
      starttls: options.starttls,
      starttlsHostname: /^[\w.-]+$/.test(serverName) ? serverName : 'localhost',
    },
    serverName,
    timeoutMs: options.timeoutMs,
    entropy: options.entropy(),
    connector: options.connector,
    connections: options.connections,
    maxAnswerBytes: 256 * 1024,
  });
  const findings: Finding[] = [];
  // Each protocol's probe and cipher enumeration are one chain holding one connection slot, so a
  // long enumeration never waits between steps; newest first, where most servers' suites are.
  const chains = new Map(
    [...PROTOCOL_NAMES]
      .reverse()
      .map((protocol) => [
        protocol,
        protocolChain(context, protocol, options.scanners.has('ciphers'), findings),
      ]),
  );
  const chainOf = (protocol: ProtocolName) => chains.get(protocol) as ProtocolChain;
  const probeOf = (protocol: ProtocolName) => chainOf(protocol).probe;
  const cipherSections = options.scanners.has('ciphers')
    ? PROTOCOL_NAMES.map((protocol) => chainOf(protocol).ciphers)
    : null;
  const probes = await Promise.all(PROTOCOL_NAMES.map(probeOf));
  const base = {
    target: target.label,
    host: target.host,
    port: target.port,
    serverName: sniName(context.serverName),
    starttls: options.starttls,
  };
  const unreachable = probes.find((probe) => probe.verdict.kind === 'unreachable');
  if (unreachable && probes.every((probe) => probe.verdict.kind === 'unreachable')) {
    return {
      ...base,
      status: 'unreachable',
      error: unreachable.evidence,
      durationMs: Date.now() - started,
      clientHellos: context.clientHellos,
      protocols: probes.map(protocolReportOf),
      cipherSuites: null,
      keyExchange: null,
      certificates: null,
      extras: null,
      rating: { grade: '-', reasons: [] },
      expectations: options.expectations
        ? evaluateExpectations(options.expectations, unreachableStub(base))
        : null,
      findings: [{ scanner: 'protocols', message: unreachable.evidence }],
    };
  }
  for (const probe of probes) {
    if (probe.error)
      findings.push({ scanner: 'protocols', message: `${probe.protocol}: ${probe.error}` });
  }
  const sections = await scanSections(context, probes, options, findings, cipherSections);
  const report: TargetReport = {
    ...base,
    status: 'scanned',
    error: null,
    durationMs: 0,
    clientHellos: 0,
    protocols: probes.map(protocolReportOf),
    ...sections,
    rating: gradeOf(probes, sections),
    expectations: null,
    findings,
  };
  if (options.expectations)
    report.expectations = evaluateExpectations(options.expectations, report);
  report.durationMs = Date.now() - started;
  report.clientHellos = context.clientHellos;
  return report;
}

type Sections = Pick<TargetReport, 'cipherSuites' | 'keyExchange' | 'certificates' | 'extras'>;

/** Everything after protocol detection, in parallel within the target's connection limit. */
async function scanSections(
  context: ScanContext,
  probes: ProtocolProbe[],
  options: ResolvedOptions,
  findings: Finding[],
  cipherSections: Array<Promise<CipherSuitesReport | null>> | null,
): Promise<Sections> {
  const supported = probes.filter((probe) => probe.supported).map((probe) => probe.protocol);
  const legacy = [...supported]
    .reverse()
    .find((protocol) => protocol !== 'SSLv2' && protocol !== 'TLS1.3') as
    Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'> | undefined;
  const guard = <T>(scanner: ScannerName, fallback: T, task: () => Promise<T>) =>
    guardScanner(findings, scanner, fallback, task);
  const on = (scanner: ScannerName) => options.scanners.has(scanner);
  const [cipherSuites, keyExchange, certificates, extras] = await Promise.all([
    cipherSections &&
      Promise.all(cipherSections).then((sections) =>
        sections.filter((section): section is CipherSuitesReport => section !== null),
      ),
    on('groups')
      ? guard('groups', null, () => scanKeyExchange(context, probes, legacy ?? null, findings))
      : null,
    on('certificates')
      ? guard('certificates', null, () =>
          scanCertificates(context, supported, legacy ?? null, options, findings),
        )
      : null,
    on('extras')
      ? guard('extras', null, () => scanExtras(context, probes, legacy ?? null, options, findings))
      : null,
  ]);
  return { cipherSuites, keyExchange, certificates, extras };
}

interface ProtocolChain {
  /** Settles as soon as the protocol's probe has answered. */
  probe: Promise<ProtocolProbe>;
  /** The protocol's suites; null when it is off or suites were not asked for. */
  ciphers: Promise<CipherSuitesReport | null>;
}

function protocolChain(
  context: ScanContext,
  protocol: ProtocolName,
  enumerate: boolean,
  findings: Finding[],
): ProtocolChain {
  let settleProbe!: (probe: ProtocolProbe) => void;
  const probe = new Promise<ProtocolProbe>((resolve) => (settleProbe = resolve));
  const ciphers = guardScanner(findings, 'ciphers', null, () =>
    context.sequence(async (leased) => {
      let answered: ProtocolProbe;
      try {
        answered = await probeProtocol(leased, protocol);
      } catch (error) {
        answered = failedProbe(protocol, `internal error: ${messageOf(error)}`);
      }
      settleProbe(answered);
      return enumerate ? cipherSectionOf(leased, answered, findings) : null;
    }),
  );
  // A chain that failed before its probe settled still settles the probe.
  void ciphers.then(() => settleProbe(failedProbe(protocol, 'not probed')));
  return { probe, ciphers };
}

function failedProbe(protocol: ProtocolName, reason: string): ProtocolProbe {
  return {
    protocol,
    supported: null,
    evidence: reason,
    error: reason,
    verdict: { kind: 'failed', reason },
    sslv2CipherSpecs: [],
  };
}

/** One protocol's suites; null when the protocol is off. */
async function cipherSectionOf(
  context: ScanContext,
  probe: ProtocolProbe,
  findings: Finding[],
): Promise<CipherSuitesReport | null> {
  if (!probe.supported) return null;
  if (probe.protocol === 'SSLv2') {
    return {
      protocol: 'SSLv2',
      serverPreference: null,
      complete: true,
      error: null,
      suites: probe.sslv2CipherSpecs.map(sslv2SuiteReport),
    };
  }
  const enumeration = await enumerateCipherSuites(context, probe.protocol, probe.verdict);
  noteError(findings, 'ciphers', probe.protocol, enumeration.error);
  return {
    protocol: probe.protocol,
    serverPreference: preferenceOf(enumeration),
    complete: enumeration.complete,
    error: enumeration.error,
    suites: enumeration.found.map(suiteReport),
  };
}

/** Runs a scanner; a bug in it becomes a finding, never a crash of the whole scan. */
function guardScanner<T>(
  findings: Finding[],
  scanner: ScannerName,
  fallback: T,
  task: () => Promise<T>,
): Promise<T> {
  return task().catch((error: unknown) => {
    findings.push({ scanner, message: `internal error: ${messageOf(error)}` });
    return fallback;
  });
}

async function scanKeyExchange(
  context: ScanContext,
  probes: ProtocolProbe[],
  legacy: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'> | null,
  findings: Finding[],
): Promise<KeyExchangeReport> {
  const tls13 = probes.find((probe) => probe.protocol === 'TLS1.3' && probe.supported);
  const tls13Suites = tls13
    ? [answerOf(tls13.verdict)].flatMap((answer) => (answer.kind === 'picked' ? [answer.item] : []))
    : [];
  const [tls13Groups, ecdhe, dhe] = await Promise.all([
    tls13 ? enumerateTls13Groups(context, tls13Suites) : null,
    legacy
      ? enumerateEcdheCurves(context, legacy, suitesWithKeyExchange(legacy, 'ECDHE', null))
      : null,
    legacy ? probeDhParameters(context, legacy, suitesWithKeyExchange(legacy, 'DHE', null)) : null,
  ]);
  const report: KeyExchangeReport = { tls13: null, ecdhe: null, dhe: null };
  if (tls13 && tls13Groups) {
    noteError(findings, 'groups', 'TLS1.3', tls13Groups.error);
    const response = keyShareResponseOf(tls13.verdict);
    report.tls13 = {
      ...groupsReportOf(tls13Groups),
      keyShareResponse: response && {
        offered: response.offered.map(groupName),
        answer: response.answer,
        group: response.group === null ? null : groupName(response.group),
      },
    };
  }
  if (legacy && ecdhe && (ecdhe.found.length > 0 || ecdhe.error)) {
    noteError(findings, 'groups', `${legacy} ECDHE`, ecdhe.error);
    report.ecdhe = { protocol: legacy, ...groupsReportOf(ecdhe) };
  }
  if (legacy && dhe) {
    noteError(findings, 'groups', `${legacy} DHE`, dhe.error);
    report.dhe = {
      protocol: legacy,
      primeBits: dhe.primeBits || null,
      group: dhe.group,
      error: dhe.error,
    };
  }
  return report;
}

async function scanCertificates(
  context: ScanContext,
  supported: readonly ProtocolName[],
  legacy: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'> | null,
  options: ResolvedOptions,
  findings: Finding[],
) {
  if (!legacy && !supported.includes('TLS1.3')) return [];
  const collected = await collectChains(context, legacy, null);
  const chains = await judgeChains(collected, {
    hostname: options.serverName ?? context.endpoint.host,
    anchors: await options.anchors(),
    now: options.now,
  });
  for (const chain of chains)
    noteError(findings, 'certificates', `${chain.protocol} ${chain.authentication}`, chain.error);
  return chains;
}

async function scanExtras(
  context: ScanContext,
  probes: ProtocolProbe[],
  legacy: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'> | null,
  options: ResolvedOptions,
  findings: Finding[],
): Promise<ExtrasReport> {
  const tlsProtocols = probes
    .filter((probe) => probe.supported && probe.protocol !== 'SSLv2')
    .map((probe) => probe.protocol)
    .sort(compareProtocols);
  const lower = tlsProtocols.at(-2) as Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'> | undefined;
  const legacyProbe = probes.find((probe) => probe.protocol === legacy);
  const hello = legacyProbe?.verdict.kind === 'accepted' ? legacyProbe.verdict.serverHello : null;
  const [fallbackScsv, alpn] = await Promise.all([
    lower ? probeFallbackScsv(context, lower) : null,
    options.alpn.length > 0 && tlsProtocols.length > 0
      ? enumerateAlpn(context, options.alpn, legacy)
      : null,
  ]);
  if (alpn?.error) findings.push({ scanner: 'extras', message: `ALPN: ${alpn.error}` });
  const fromHello = hello ? extrasOfHello(hello) : null;
  return {
    basedOn: hello ? (legacy ?? null) : null,
    secureRenegotiation: fromHello?.secureRenegotiation ?? null,
    sessionIds: fromHello?.sessionIds ?? null,
    sessionTickets: fromHello?.sessionTickets ?? null,
    compression: fromHello?.compression ?? null,
    extendedMasterSecret: fromHello?.extendedMasterSecret ?? null,
    encryptThenMac: fromHello?.encryptThenMac ?? null,
    ocspStapling: fromHello?.ocspStapling ?? null,
    fallbackScsv,
    downgradeProtection:
      tlsProtocols.includes('TLS1.3') && hello ? hello.downgradeSentinel !== null : null,
    alpn: alpn && {
      offered: [...options.alpn],
      supported: alpn.found,
      complete: alpn.complete,
      error: alpn.error,
    },
  };
}

function gradeOf(probes: ProtocolProbe[], sections: Sections) {
  // Each suite counts once, however many protocols accept it; SSLv2's kinds are rated by protocol.
  const ids = new Set(
    (sections.cipherSuites ?? [])
      .filter((section) => section.protocol !== 'SSLv2')
      .flatMap((section) => section.suites.map((suite) => Number(suite.id))),
  );
  const suites = [...ids]
    .map((id) => cipherSuiteById(id))
    .filter((row): row is CipherSuiteRow => row !== undefined);
  const result = gradeServer({
    protocols: probes.filter((probe) => probe.supported).map((probe) => probe.protocol),
    suites,
    dhPrimeBits: sections.keyExchange?.dhe?.primeBits ?? null,
    compression: sections.extras?.compression ?? null,
    secureRenegotiation: sections.extras?.secureRenegotiation ?? null,
  });
  return result;
}

function protocolReportOf(probe: ProtocolProbe): ProtocolReport {
  return {
    protocol: probe.protocol,
    version: hex16(versionOf(probe.protocol)),
    supported: probe.supported,
    evidence: probe.evidence,
  };
}

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

function sslv2SuiteReport(id: number): SuiteReport {
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

function groupsReportOf(enumeration: Enumeration<number>): GroupsReport {
  return {
    groups: enumeration.found.map(groupReportOf),
    serverPreference: preferenceOf(enumeration),
    complete: enumeration.complete,
    error: enumeration.error,
  };
}

function groupReportOf(id: number): GroupReport {
  const row = groupById(id);
  return { id: hex16(id), name: groupName(id), bits: row ? row.bits : null };
}

function preferenceOf(enumeration: Enumeration<unknown>): boolean | null {
  return enumeration.preference === null ? null : enumeration.preference === 'server';
}

function noteError(findings: Finding[], scanner: string, what: string, error: string | null): void {
  if (error) findings.push({ scanner, message: `${what}: ${error}` });
}

function unreachableStub(
  base: Pick<TargetReport, 'target' | 'host' | 'port' | 'serverName' | 'starttls'>,
): TargetReport {
  return {
    ...base,
    status: 'unreachable',
    error: null,
    durationMs: 0,
    clientHellos: 0,
    protocols: [],
    cipherSuites: null,
    keyExchange: null,
    certificates: null,
    extras: null,
    rating: { grade: '-', reasons: [] },
    expectations: null,
    findings: [],
  };
}

async function resolveOptions(options: ProbeOptions): Promise<ResolvedOptions> {
  const expectations = options.expect === undefined ? null : parseExpectations(options.expect);
  const scanners = new Set<ScannerName>(options.scanners?.length ? options.scanners : SCANNERS);
  scanners.add('protocols');
  for (const needed of expectations ? scannersFor(expectations) : []) scanners.add(needed);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new UsageError(`timeout ${timeoutMs} ms is not a positive whole number`);
  }
  // A bad --ca is the user's mistake, reported before any connection; Node's roots load on demand.
  let anchors =
    options.caFile === undefined
      ? undefined
      : Promise.resolve(await loadTrustAnchors(options.caFile));
  return {
    scanners,
    alpn: options.alpn ?? DEFAULT_ALPN,
    serverName: options.serverName ?? null,
    starttls: options.starttls ?? null,
    timeoutMs,
    connections: Math.max(1, options.connections ?? DEFAULT_CONNECTIONS),
    expectations,
    anchors: () => (anchors ??= loadTrustAnchors(options.caFile)),
    now: options.now ?? new Date(),
    entropy: options.entropy ?? createHelloEntropy,
    connector: options.connector ?? connectTcp,
  };
}

async function resolveTargets(
  options: ProbeOptions,
  starttls: StarttlsProtocol | null,
): Promise<Target[]> {
  const targets = (options.targets ?? []).map((target) =>
    typeof target === 'string' ? parseTarget(target, starttls) : target,
  );
  if (options.targetsFile) targets.push(...(await readTargetsFile(options.targetsFile, starttls)));
  if (targets.length === 0) {
    throw new UsageError('no target to probe', { hint: 'give HOST:PORT, or --targets FILE' });
  }
  return targets;
}

/** --ca's certificates (a PEM bundle, or one DER certificate), or Node's bundled roots. */
async function loadTrustAnchors(caFile: string | undefined): Promise<X509Certificate[]> {
  if (caFile === undefined) {
    const { rootCertificates } = await import('node:tls');
    return rootCertificates.map((pem) => new X509Certificate(pem));
  }
  let data: Buffer;
  try {
    data = await readFile(caFile);
  } catch (error) {
    const missing = errorCode(error) === 'ENOENT';
    throw new InputError(`${caFile}: ${missing ? 'no such file' : 'cannot be read'}`, {
      cause: error,
    });
  }
  const ders = looksLikePem(data)
    ? decodePem(data.toString('utf8'), caFile)
        .filter((block) => block.label === 'CERTIFICATE')
        .map((block) => block.der)
    : [data];
  if (ders.length === 0 || ders[0]?.length === 0) {
    throw new InputError(`${caFile}: no CERTIFICATE in the file`, {
      hint: 'give the CA certificates as PEM (or one as DER)',
    });
  }
  return ders.map((der, index) => {
    try {
      return new X509Certificate(der);
    } catch (error) {
      throw new InputError(`${caFile}: certificate #${index} is not a valid certificate`, {
        cause: error,
      });
    }
  });
}
