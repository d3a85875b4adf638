/**
 * The sections of a target's report, each from its scanners: every protocol's probe and cipher
 * enumeration as one chain, then key exchange, certificates and extras in parallel, and the grade.
 * A scanner's bug becomes a finding of its own; the rest of the scan goes on.
 */
import type { X509Certificate } from 'node:crypto';
import { messageOf } from '../errors.js';
import type { ScannerName } from './expect.js';
import { gradeServer } from './rating.js';
import type {
  CipherSuitesReport,
  ExtrasReport,
  Finding,
  KeyExchangeReport,
  ProtocolReport,
  RatingReport,
  TargetReport,
} from './report.js';
import { groupsReportOf, preferenceOf, sslv2SuiteReport, suiteReport } from './report-entries.js';
import { cipherSuiteById } from './registry/cipher-suites.js';
import type { CipherSuiteRow } from './registry/cipher-suite-types.js';
import { groupName } from './registry/groups.js';
import { compareProtocols, versionOf, type ProtocolName } from './registry/versions.js';
import { collectChains, judgeChains } from './scanners/certificates.js';
import { answerOf, enumerateCipherSuites } from './scanners/cipher-suites.js';
import { enumerateAlpn, extrasOfHello, probeFallbackScsv } from './scanners/extras.js';
import {
  enumerateEcdheCurves,
  enumerateTls13Groups,
  keyShareResponseOf,
  probeDhParameters,
  suitesWithKeyExchange,
} from './scanners/groups.js';
import { probeProtocol, type ProtocolProbe } from './scanners/protocols.js';
import type { ScanContext } from './scanners/scan-context.js';
import { hex16 } from './wire/hex.js';

/** What the sections need from the scan's options. */
export interface SectionOptions {
  scanners: ReadonlySet<ScannerName>;
  alpn: readonly string[];
  serverName: string | null;
  anchors: () => Promise<X509Certificate[]>;
  now: Date;
}

export type Sections = Pick<
  TargetReport,
  'cipherSuites' | 'keyExchange' | 'certificates' | 'extras'
>;

/** Everything after protocol detection, in parallel within the target's connection limit. */
export async function scanSections(
  context: ScanContext,
  probes: ProtocolProbe[],
  options: SectionOptions,
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

export interface ProtocolChain {
  /** Settles as soon as the protocol's probe has answered. */
  probe: Promise<ProtocolProbe>;
  /** The protocol's suites; null when it is off or suites were not asked for. */
  ciphers: Promise<CipherSuitesReport | null>;
}

export function protocolChain(
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
  options: SectionOptions,
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
  options: SectionOptions,
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

export function gradeOf(probes: ProtocolProbe[], sections: Sections): RatingReport {
  // Without the suites there is nothing fair to grade.
  if (!sections.cipherSuites) return { grade: '-', reasons: [] };
  // Each suite counts once, however many protocols accept it; SSLv2's kinds are rated by protocol.
  const ids = new Set(
    (sections.cipherSuites ?? [])
      .filter((section) => section.protocol !== 'SSLv2')
      .flatMap((section) => section.suites.map((suite) => Number(suite.id))),
  );
  const suites = [...ids]
    .map((id) => cipherSuiteById(id))
    .filter((row): row is CipherSuiteRow => row !== undefined);
  return gradeServer({
    protocols: probes.filter((probe) => probe.supported).map((probe) => probe.protocol),
    suites,
    dhPrimeBits: sections.keyExchange?.dhe?.primeBits ?? null,
    compression: sections.extras?.compression ?? null,
    secureRenegotiation: sections.extras?.secureRenegotiation ?? null,
  });
}

export function protocolReportOf(probe: ProtocolProbe): ProtocolReport {
  return {
    protocol: probe.protocol,
    version: hex16(versionOf(probe.protocol)),
    supported: probe.supported,
    evidence: probe.evidence,
  };
}

function noteError(findings: Finding[], scanner: string, what: string, error: string | null): void {
  if (error) findings.push({ scanner, message: `${what}: ${error}` });
}
