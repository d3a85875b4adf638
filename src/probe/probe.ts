import { UsageError } from '../errors.js';
import type { StarttlsProtocol } from '../tls/starttls/index.js';
import {
  evaluateExpectations,
  parseExpectations,
  scannersFor,
  type Expectation,
  type ScannerName,
} from './expect.js';
import type { Finding, ProbeReport, TargetReport } from './report.js';
import { PROBE_REPORT_SCHEMA_VERSION } from './report.js';
import { PROTOCOL_NAMES, type ProtocolName } from './registry/versions.js';
import { createHelloEntropy, sniName, type HelloEntropy } from './scanners/probe-hello.js';
import { createScanContext, createSemaphore } from './scanners/scan-context.js';
import {
  gradeOf,
  protocolChain,
  protocolReportOf,
  scanSections,
  type ProtocolChain,
  type SectionOptions,
} from './sections.js';
import { parseTarget, readTargetsFile, type Target } from './targets.js';
import { loadTrustAnchors } from './trust-anchors.js';
import { connectTcp, type Connector } from './transport/connector.js';

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

interface ResolvedOptions extends SectionOptions {
  starttls: StarttlsProtocol | null;
  timeoutMs: number;
  connections: number;
  expectations: Expectation[] | null;
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
    const report: TargetReport = {
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
      expectations: null,
      findings: [{ scanner: 'protocols', message: unreachable.evidence }],
    };
    // Every expectation fails on a target that could not be reached ("unknown").
    if (options.expectations)
      report.expectations = evaluateExpectations(options.expectations, report);
    return report;
  }
  for (const probe of probes) {
    if (probe.error)
      findings.push({ scanner: 'protocols', message: `${probe.protocol}: ${probe.error}` });
  }
  if (!base.serverName && probes.some((probe) => probe.evidence === 'alert unrecognized_name')) {
    findings.push({
      scanner: 'protocols',
      message: 'the server wants a name (alert unrecognized_name): give it with --servername',
    });
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
