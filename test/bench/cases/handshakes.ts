/**
 * Handshake throughput: `openssl s_time` against `tlskit serve` (one worker and two) and against
 * `openssl s_server`, all serving the same ECDSA P-256 certificate on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import { median, timeCommand, type Sample } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');
/** Seconds each s_time run keeps connecting. */
const SECONDS = 3;
/** The report compares times: each sample is the time per this many handshakes. */
const PER = 1000;

interface Server {
  label: string;
  port: number;
  stop(): Promise<void>;
}

interface Mode {
  title: string;
  /** s_time arguments: -new (full handshakes) or -reuse (resumed). */
  args: string[];
  /**
   * Concurrent s_time processes. One s_time connects one connection at a time, so one client
   * mostly measures the client; two let a server use both cores, which is what --workers is for
   * (s_server serves one connection at a time whatever the load).
   */
  clients: number;
  /** Whether the goals apply, or the numbers are only reported. */
  goals: boolean;
}

/**
 * Full handshakes are TLS 1.3 (-new); resumed ones TLS 1.2 (-reuse), because OpenSSL 3.0's
 * s_time reuses only a session it holds when the handshake ends, and TLS 1.3 tickets come later.
 */
const MODES: Mode[] = [
  {
    title: 'Full handshakes (TLS 1.3, s_time -new), 1 client',
    args: ['-new'],
    clients: 1,
    goals: true,
  },
  {
    title: 'Full handshakes (TLS 1.3, s_time -new), 2 clients',
    args: ['-new'],
    clients: 2,
    goals: true,
  },
  {
    title: 'Resumed handshakes (TLS 1.2 tickets, s_time -reuse), 2 clients',
    args: ['-reuse', '-tls1_2'],
    clients: 2,
    goals: false,
  },
];

export async function handshakeComparisons(context: BenchContext): Promise<Comparison[]> {
  const key = join(context.dir, 'handshake.key');
  const cert = join(context.dir, 'handshake.crt');
  await timeCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    '/CN=localhost',
    '-days',
    '1',
  ]);
  const servers = [
    await startSServer(key, cert),
    await startTlskit(key, cert, 1),
    await startTlskit(key, cert, 2),
  ];
  const [peer, oneWorker, twoWorkers] = servers as [Server, Server, Server];
  const runs = context.runs(3);
  const comparisons: Comparison[] = [];
  try {
    for (const mode of MODES) {
      const samples = new Map<Server, number[]>(servers.map((server) => [server, []]));
      // Interleaved, so a noisy moment on the machine hurts every server alike.
      for (let run = 0; run < runs; run++) {
        for (const server of servers)
          samples.get(server)?.push(await measureRate(server.port, mode));
      }
      const sample = (server: Server): Sample => {
        const rates = samples.get(server) ?? [];
        return {
          label: `${server.label}: ${Math.round(median(rates))} handshakes/s (time per ${PER})`,
          millis: rates.map((rate) => (PER * 1000) / rate),
        };
      };
      comparisons.push(
        {
          title: `${mode.title}: one worker`,
          tlskit: sample(oneWorker),
          peer: sample(peer),
          maxRatio: mode.goals ? 1 / 0.8 : Infinity,
          goal: mode.goals
            ? "at least 0.8x s_server's handshakes per second"
            : 'reported (per-connection JavaScript dominates a resumption)',
        },
        {
          title: `${mode.title}: two workers`,
          tlskit: sample(twoWorkers),
          peer: sample(peer),
          maxRatio: mode.goals ? 1 : Infinity,
          goal: mode.goals ? 'more handshakes per second than s_server' : 'reported',
        },
      );
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  return comparisons;
}

/** Handshakes per second of `mode.clients` concurrent `s_time` runs, from their own counts. */
async function measureRate(port: number, mode: Mode): Promise<number> {
  const started = process.hrtime.bigint();
  const counts = await Promise.all(
    Array.from({ length: mode.clients }, () => sTime(port, mode.args)),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return counts.reduce((sum, count) => sum + count, 0) / seconds;
}

function sTime(port: number, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'openssl',
      ['s_time', '-connect', `127.0.0.1:${port}`, '-time', String(SECONDS), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      // "1314 connections in 3 real seconds, 0 bytes read per connection"
      const count = /(\d+) connections in \d+ real seconds/.exec(output)?.[1];
      if (count === undefined) reject(new Error(`s_time printed no count: ${output}`));
      else resolve(Number(count));
    });
  });
}

async function startSServer(key: string, cert: string): Promise<Server> {
  const port = await freePort();
  // s_server ends when its standard input does: keep a pipe open until stop().
  const child = spawn(
    'openssl',
    ['s_server', '-accept', `127.0.0.1:${port}`, '-key', key, '-cert', cert, '-quiet'],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  await waitForPort(port, child);
  return { label: 'openssl s_server', port, stop: () => stopChild(child) };
}

async function startTlskit(key: string, cert: string, workers: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      binRun,
      'serve',
      '--port',
      '0',
      '--json',
      '--key',
      key,
      '--cert',
      cert,
      '--workers',
      String(workers),
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n', 1)[0];
      if (text.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('close', (code) => reject(new Error(`tlskit serve exited ${code}`)));
  });
  // Its event lines are part of the cost measured, but nobody reads them.
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  const label = `tlskit serve, ${workers} worker${workers === 1 ? '' : 's'}`;
  return { label, port, stop: () => stopChild(child, 'SIGINT') };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'close');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error('openssl s_server exited at start');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(`openssl s_server did not listen on ${port}`);
}
