import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { CheckFailedError, PeerError } from '../src/errors.js';
import type { ProbeReport } from '../src/probe/report.js';
import { STARTTLS_PROTOCOLS, type StarttlsProtocol } from '../src/tls/starttls/protocol.js';
import { TlskitCommand } from './_lib/base-command.js';
import { withProgress } from './_lib/progress.js';
import { paletteOf } from './_lib/terminal.js';

type ScannerFlag = 'protocols' | 'ciphers' | 'groups' | 'certs' | 'extras';

export default class Probe extends TlskitCommand {
  static override summary = 'Scan TLS servers: protocols, cipher suites, groups, certificates.';
  static override description =
    'Like sslscan or testssl.sh, with its own ClientHello engine (it finds SSLv2/SSLv3, RC4, ' +
    '3DES, export, NULL and anonymous suites that a TLS library cannot offer). Cipher suites are ' +
    'enumerated by removal: about one hello per supported suite, in the server\u2019s order when it ' +
    'enforces one. With no --ciphers/--groups/--certs/--extras, everything is scanned; protocols ' +
    'always are. --expect turns the scan into a CI gate (exit 1 when an assertion fails). ' +
    'Exit 5 when a target cannot be reached. ' +
    '--json prints the report (schemaVersion 1, probe-report.schema.json): per target ' +
    '`protocols[]` (protocol, version, supported, evidence), `cipherSuites[]` (protocol, ' +
    'serverPreference, complete, error, `suites[]` with id, name (IANA), openssl, kx, au, enc, ' +
    'mode, bits, mac, strength, reasons), `keyExchange` (tls13, ecdhe, dhe), `certificates[]`, ' +
    '`extras`, `rating` (grade, reasons), `expectations[]`, `findings[]`, `clientHellos`.';
  static override examples = [
    '<%= config.bin %> probe example.com:443 --ciphers',
    '<%= config.bin %> probe 127.0.0.1:8443 --servername localhost --ca ca.pem',
    '<%= config.bin %> probe mail.example.com:25 --starttls smtp',
    '<%= config.bin %> probe --targets hosts.txt --concurrency 8 --json > scan.json',
    '<%= config.bin %> probe example.com --expect "minVersion=TLS1.2,noWeakCiphers,groups>=x25519"',
    "<%= config.bin %> probe example.com --ciphers --json | jq -r '.targets[].cipherSuites[].suites[].name'",
  ];

  static override strict = false;

  static override args = {
    target: Args.string({
      description: 'HOST:PORT to scan (several may be given; port defaults to 443).',
    }),
  };

  static override flags = {
    protocols: Flags.boolean({
      description: 'Scan protocol support (always done; alone, only that).',
    }),
    ciphers: Flags.boolean({ description: 'Enumerate cipher suites per protocol.' }),
    groups: Flags.boolean({
      description: 'Enumerate key-exchange groups (TLS 1.3, ECDHE) and the DH size.',
    }),
    certs: Flags.boolean({
      description: 'Check certificate chains: keys, dates, host name, trust, OCSP.',
    }),
    extras: Flags.boolean({
      description: 'Secure renegotiation, fallback SCSV, resumption, compression, ALPN.',
    }),
    alpn: Flags.string({
      description: 'ALPN protocols to look for, comma-separated.',
      default: 'h2,http/1.1',
      helpValue: 'LIST',
    }),
    servername: Flags.string({
      description: 'SNI name and the name the certificate must match (default: the host).',
      helpValue: 'NAME',
    }),
    starttls: Flags.string({
      description: 'Upgrade a plain-text protocol first.',
      options: [...STARTTLS_PROTOCOLS],
    }),
    timeout: Flags.integer({
      description: 'Per connection, in milliseconds: connect, STARTTLS and answer.',
      default: 5000,
      min: 1,
      helpValue: 'MS',
    }),
    concurrency: Flags.integer({ description: 'Targets scanned at once.', default: 4, min: 1 }),
    connections: Flags.integer({
      description: 'Connections open at once to one target (be polite).',
      default: 3,
      min: 1,
    }),
    targets: Flags.string({
      description: 'File of targets, one HOST:PORT a line.',
      helpValue: 'FILE',
    }),
    expect: Flags.string({
      description:
        'Comma-separated assertions; exit 1 when one fails. Compare minVersion, maxVersion, grade, ' +
        'dhBits, certDaysLeft with = != >= <=; sets protocols, ciphers, groups, alpn with = (exactly), ' +
        '>= (at least), <= (only), != (none of), items joined by +; flags noWeakCiphers, ' +
        'forwardSecrecy, serverPreference, secureRenegotiation, fallbackScsv, ocspStapling, ' +
        'compression, sessionIds, sessionTickets, extendedMasterSecret, encryptThenMac, certTrusted, ' +
        'hostnameMatch, negated with !. E.g. "minVersion>=TLS1.2,noWeakCiphers,groups>=x25519,!compression".',
      helpValue: 'LIST',
    }),
    ca: Flags.string({
      description: 'Trust these CA certificates (PEM, or one DER) instead of Node\u2019s roots.',
      helpValue: 'FILE',
    }),
  };

  async run(): Promise<ProbeReport | undefined> {
    const { argv, flags } = await this.parse(Probe);
    const scanners = (
      [
        'protocols',
        'ciphers',
        'groups',
        'certs',
        'extras',
      ] as const satisfies readonly ScannerFlag[]
    )
      .filter((name) => flags[name])
      .map((name) => (name === 'certs' ? 'certificates' : name));
    const { probe } = await import('../src/probe/probe.js');
    const report = await withProgress(this.terminal, 'Probing', () =>
      probe({
        targets: argv as string[],
        targetsFile: flags.targets,
        scanners,
        alpn: flags.alpn
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
        serverName: flags.servername,
        starttls: flags.starttls as StarttlsProtocol | undefined,
        timeoutMs: flags.timeout,
        concurrency: flags.concurrency,
        connections: flags.connections,
        expect: flags.expect,
        caFile: flags.ca,
      }),
    );
    if (!this.jsonEnabled()) {
      const [{ renderTree }, { probeReportTree }] = await Promise.all([
        import('../src/render/text-tree.js'),
        import('../src/probe/report-tree.js'),
      ]);
      this.log(renderTree(probeReportTree(report), paletteOf(this.terminal)));
    }
    const failure = verdictOf(report);
    if (!failure) return report;
    if (!this.jsonEnabled()) throw failure;
    // The report is the JSON output either way; the verdict is the exit code and a stderr line.
    this.logJson(report);
    process.stderr.write(`tlskit: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
    return undefined;
  }
}

/** A failed expectation (exit 1) weighs more than an unreachable target (exit 5). */
function verdictOf(report: ProbeReport): CheckFailedError | PeerError | undefined {
  const failed = report.targets.flatMap((target) =>
    (target.expectations ?? [])
      .filter((result) => !result.passed)
      .map((result) => `${target.target}: ${result.expectation} (found ${result.actual})`),
  );
  if (failed.length > 0) {
    return new CheckFailedError(
      `${failed.length} expectation${failed.length > 1 ? 's' : ''} failed: ${failed.join('; ')}`,
    );
  }
  const unreachable = report.targets.filter((target) => target.status === 'unreachable');
  if (unreachable.length > 0) {
    return new PeerError(
      `${unreachable.length} of ${report.targets.length} target${report.targets.length > 1 ? 's' : ''} unreachable: ${unreachable.map((target) => `${target.target} (${target.error})`).join('; ')}`,
      { hint: 'check the host, the port and that the server is up' },
    );
  }
  return undefined;
}
