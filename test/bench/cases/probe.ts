/**
 * `tlskit probe --ciphers` against sslscan, nmap's ssl-enum-ciphers and testssl.sh, on the same
 * openssl s_server (TLS 1.2 with eight suites, TLS 1.3 with two, server order), reached directly
 * and through a proxy that adds 25 ms each way. A counting proxy in front of the server tells how
 * many ClientHellos each tool sent; each tool's findings are checked against the configuration.
 *
 * Goals: the same suites as configured, fewer ClientHellos than the peer, and the wall time
 * (whole command, start-up included): faster than each peer, and behind the latency proxy at most
 * a quarter of sslscan's. A row whose tlskit run misses the suites or the hello count has its goal
 * missed whatever the time (maxRatio 0).
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cipherSuiteById, cipherSuiteByName } from '../../../src/probe/registry/cipher-suites.js';
import { repoRoot } from '../../helpers/index.js';
import {
  makeCredentials,
  removeCredentials,
  spawnSServer,
} from '../../interop/probe-support/s-server.js';
import { startCountingProxy, type CountingProxy } from '../../interop/probe-support/tcp-proxy.js';
import type { BenchContext } from '../bench.js';
import type { Sample } from '../measure.js';
import type { Comparison } from '../report.js';

const binRun = join(repoRoot, 'bin/run.js');
const LATENCY_MS = 25;

const TLS12_SUITES = [
  'ECDHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-SHA',
  'AES128-GCM-SHA256',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES256-SHA256',
  'AES256-SHA',
  'ECDHE-RSA-AES128-GCM-SHA256',
];
const TLS13_SUITES = ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_256_GCM_SHA384'];

/** `TLS1.2 TLS_ECDHE_…` pairs: what a tool must find, exactly. */
const EXPECTED = new Set([
  ...TLS12_SUITES.map((name) => `TLS1.2 ${cipherSuiteByName(name)!.name}`),
  ...TLS13_SUITES.map((name) => `TLS1.3 ${name}`),
]);

/** How to run one tool and read what it found. */
interface Tool {
  label: string;
  runs: (context: BenchContext) => number;
  command(port: number, scratch: string): [string, string[]];
  /** `PROTOCOL NAME` pairs, or bare IANA names when the tool does not say the protocol. */
  found(stdout: string, scratch: string): Promise<Set<string>>;
  perProtocol: boolean;
}

const TLSKIT: Tool = {
  label: 'tlskit probe --ciphers',
  runs: (context) => context.runs(5),
  command: (port) => [
    process.execPath,
    [binRun, 'probe', `127.0.0.1:${port}`, '--ciphers', '--json'],
  ],
  async found(stdout) {
    const report = JSON.parse(stdout) as {
      targets: Array<{
        cipherSuites: Array<{ protocol: string; suites: Array<{ name: string }> }>;
      }>;
    };
    return new Set(
      report.targets[0]!.cipherSuites.flatMap((section) =>
        section.suites.map((suite) => `${section.protocol} ${suite.name}`),
      ),
    );
  },
  perProtocol: true,
};

const SSLSCAN_LINE = /^(?:Preferred|Accepted)\s+TLSv(1\.[0-3])\s+\d+ bits\s+(\S+)/gm;

const SSLSCAN: Tool = {
  label: 'sslscan',
  runs: (context) => context.runs(3),
  command: (port) => ['sslscan', ['--no-colour', `127.0.0.1:${port}`]],
  found: async (stdout) => sslscanFindings(stdout),
  perProtocol: true,
};

/** sslscan with every check but protocols and suites turned off: the same work as --ciphers. */
const SSLSCAN_CIPHERS_ONLY: Tool = {
  ...SSLSCAN,
  label: 'sslscan, suites only (--no-groups …)',
  command: (port) => [
    'sslscan',
    [
      '--no-colour',
      '--no-check-certificate',
      '--no-compression',
      '--no-fallback',
      '--no-groups',
      '--no-heartbleed',
      '--no-renegotiation',
      '--no-cipher-details',
      `127.0.0.1:${port}`,
    ],
  ],
};

const NMAP: Tool = {
  label: 'nmap --script ssl-enum-ciphers',
  runs: (context) => context.runs(2),
  command: (port) => ['nmap', ['--script', 'ssl-enum-ciphers', '-p', String(port), '127.0.0.1']],
  async found(stdout) {
    const found = new Set<string>();
    let protocol = '';
    for (const line of stdout.split('\n')) {
      const heading = /^\|\s+TLSv(1\.[0-3]):/.exec(line);
      if (heading) protocol = `TLS${heading[1]}`;
      const suite = /^\|\s+(TLS_\w+) \(/.exec(line);
      // nmap names TLS 1.3 suites TLS_AKE_WITH_…
      if (suite) found.add(`${protocol} ${suite[1]!.replace(/^TLS_AKE_WITH_/, 'TLS_')}`);
    }
    return found;
  },
  perProtocol: true,
};

const TESTSSL: Tool = {
  label: 'testssl -p -e',
  runs: (context) => context.runs(1),
  command: (port, scratch) => [
    'testssl',
    [
      '--quiet',
      '--color',
      '0',
      '--warnings',
      'off',
      '--jsonfile',
      join(scratch, 'testssl.json'),
      '-p',
      '-e',
      `127.0.0.1:${port}`,
    ],
  ],
  async found(_stdout, scratch) {
    const path = join(scratch, 'testssl.json');
    const findings = JSON.parse(await readFile(path, 'utf8')) as Array<{ id: string }>;
    await rm(path, { force: true });
    // testssl -e lists suites without their protocol: compared as a set of names.
    return new Set(
      findings
        .map((finding) => /^cipher_x([0-9a-f]+)$/.exec(finding.id)?.[1])
        .filter((hex): hex is string => hex !== undefined)
        .map((hex) => cipherSuiteById(Number.parseInt(hex, 16))?.name ?? hex),
    );
  },
  perProtocol: false,
};

interface Measured {
  sample: Sample;
  clientHellos: number;
  exact: boolean;
}

export async function probeComparisons(context: BenchContext): Promise<Comparison[]> {
  const credentials = await makeCredentials();
  const server = await spawnSServer([
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-serverpref',
    '-cipher',
    TLS12_SUITES.join(':'),
    '-ciphersuites',
    TLS13_SUITES.join(':'),
  ]);
  const targets = [
    { name: 'loopback', proxy: await startCountingProxy(server.port) },
    { name: `${LATENCY_MS} ms each way`, proxy: await startCountingProxy(server.port, LATENCY_MS) },
  ];
  try {
    const comparisons: Comparison[] = [];
    for (const { name, proxy } of targets) {
      // One warm-up run fills the page cache, as sampleCommand does.
      await measure(TLSKIT, proxy, context, 1);
      const tlskit = await measure(TLSKIT, proxy, context);
      for (const peerTool of [SSLSCAN, SSLSCAN_CIPHERS_ONLY, NMAP, TESTSSL]) {
        const peer = await measure(peerTool, proxy, context);
        const quarter = peerTool === SSLSCAN && name !== 'loopback';
        const met = tlskit.exact && tlskit.clientHellos < peer.clientHellos;
        comparisons.push({
          title: `Cipher scan of s_server (${name}): tlskit vs ${peerTool.label}`,
          tlskit: tlskit.sample,
          peer: peer.sample,
          maxRatio: met ? (quarter ? 0.25 : 1) : 0,
          goal: `same suites, fewer ClientHellos, ${quarter ? 'at most 1/4 of the time' : 'faster'}`,
        });
      }
    }
    return comparisons;
  } finally {
    server.stop();
    await Promise.all(targets.map(({ proxy }) => proxy.close()));
    await removeCredentials(credentials);
  }
}

/** Runs a tool `runs` times through the proxy; hello count and exactness from the last run. */
async function measure(
  tool: Tool,
  proxy: CountingProxy,
  context: BenchContext,
  runs = tool.runs(context),
): Promise<Measured> {
  const millis: number[] = [];
  let clientHellos = 0;
  let exact = false;
  for (let run = 0; run < runs; run++) {
    proxy.reset();
    const [command, args] = tool.command(proxy.port, context.dir);
    const started = process.hrtime.bigint();
    const stdout = await runCommand(command, args);
    millis.push(Number(process.hrtime.bigint() - started) / 1e6);
    clientHellos = proxy.clientHellos();
    exact = sameSet(
      await tool.found(stdout, context.dir),
      tool.perProtocol ? EXPECTED : names(EXPECTED),
    );
  }
  const verdict = exact ? 'exact' : 'NOT exact';
  return {
    sample: { label: `${tool.label} (${clientHellos} hellos, ${verdict})`, millis },
    clientHellos,
    exact,
  };
}

function names(pairs: ReadonlySet<string>): Set<string> {
  return new Set([...pairs].map((pair) => pair.split(' ')[1] as string));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}

function sslscanFindings(stdout: string): Set<string> {
  const found = new Set<string>();
  for (const [, version, name] of stdout.matchAll(SSLSCAN_LINE)) {
    found.add(`TLS${version} ${cipherSuiteByName(name as string)?.name ?? name}`);
  }
  return found;
}

/** Runs a command to completion (asynchronously: the proxies live in this process). */
function runCommand(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(chunks).toString();
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}
