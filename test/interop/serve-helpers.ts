/**
 * Helpers for the `serve` interop and end-to-end tests: an openssl-made PKI (with an OCSP
 * response), peer programs whose standard input stays open until they have read what they
 * should, and `tlskit serve` as a running process whose JSON lines can be awaited.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openssl, repoRoot, type RunResult } from '../helpers/index.js';

export interface PkiPair {
  key: string;
  cert: string;
}

/** Paths of a small PKI made by openssl: every peer-made file named by what it is. */
export interface OpensslPki {
  ca: PkiPair;
  /** ECDSA P-256, for localhost and 127.0.0.1. */
  server: PkiPair;
  /** For the SNI name api.test. */
  api: PkiPair;
  /** A client certificate the CA issued (CN=alice). */
  client: PkiPair;
  /** A self-signed client certificate (CN=mallory). */
  rogue: PkiPair;
  /** `openssl ocsp -respout`: "good" for the server certificate, signed by the CA. */
  ocspResponse: string;
}

export async function makeOpensslPki(dir: string): Promise<OpensslPki> {
  const path = (name: string) => join(dir, name);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const ca = { key: path('openssl.ca.key'), cert: path('openssl.ca.crt') };
  await openssl([
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    ca.key,
    '-out',
    ca.cert,
    '-subj',
    '/CN=Interop CA',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  const leaf = async (name: string, subject: string, extensions: string): Promise<PkiPair> => {
    const pair = { key: path(`openssl.${name}.key`), cert: path(`openssl.${name}.crt`) };
    const csr = path(`openssl.${name}.csr`);
    const ext = path(`openssl.${name}.ext`);
    await writeFile(ext, `${extensions}\nbasicConstraints=critical,CA:FALSE\n`);
    await openssl(['req', '-new', ...ecKey, '-keyout', pair.key, '-out', csr, '-subj', subject]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-set_serial',
      `0x${name.length}${Date.now()}`,
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      pair.cert,
    ]);
    return pair;
  };
  const [server, api, client] = await Promise.all([
    leaf(
      'server',
      '/CN=localhost',
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth',
    ),
    leaf('api', '/CN=api.test', 'subjectAltName=DNS:api.test\nextendedKeyUsage=serverAuth'),
    leaf(
      'client',
      '/CN=alice',
      'subjectAltName=email:alice@example.test\nextendedKeyUsage=clientAuth',
    ),
  ]);
  const rogue = { key: path('openssl.rogue.key'), cert: path('openssl.rogue.crt') };
  await openssl([
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    rogue.key,
    '-out',
    rogue.cert,
    '-subj',
    '/CN=mallory',
    '-days',
    '2',
  ]);
  return {
    ca,
    server,
    api,
    client,
    rogue,
    ocspResponse: await makeOcspResponse(dir, ca, server.cert),
  };
}

/** An OCSP responder's answer for `cert` from a one-line index, as `openssl ocsp` makes it. */
async function makeOcspResponse(dir: string, ca: PkiPair, cert: string): Promise<string> {
  const serial = (await openssl(['x509', '-in', cert, '-noout', '-serial']))
    .trim()
    .split('=')[1] as string;
  const expiry = (await openssl(['x509', '-in', cert, '-noout', '-enddate']))
    .trim()
    .split('=')[1] as string;
  const index = join(dir, 'openssl.ocsp-index.txt');
  await writeFile(index, `V\t${asn1Time(new Date(expiry))}\t\t${serial}\tunknown\t/CN=localhost\n`);
  const request = join(dir, 'openssl.ocsp-request.der');
  const response = join(dir, 'openssl.ocsp-response.der');
  await openssl(['ocsp', '-issuer', ca.cert, '-cert', cert, '-no_nonce', '-reqout', request]);
  await openssl([
    'ocsp',
    '-index',
    index,
    '-rsigner',
    ca.cert,
    '-rkey',
    ca.key,
    '-CA',
    ca.cert,
    '-reqin',
    request,
    '-respout',
    response,
    '-ndays',
    '1',
  ]);
  return response;
}

/** YYMMDDHHMMSSZ, the time format of openssl's index.txt. */
function asn1Time(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

export interface PeerRunOptions {
  /** Written to standard input at once. */
  input?: string;
  /** Standard input stays open until standard output matches this (default: closed at once). */
  closeStdinWhen?: RegExp;
  /**
   * Once standard output matches `after`, writes `chunks` one every `intervalMs`, then closes
   * standard input (s_client acts on one line at a time: "R" renegotiates).
   */
  feed?: { after: RegExp; chunks: string[]; intervalMs: number };
  timeoutMs?: number;
  env?: Record<string, string>;
}

/**
 * Runs a peer program (openssl s_client, gnutls-cli…) to completion. A peer that reads its
 * standard input would quit at end-of-file before the server has spoken: `closeStdinWhen` keeps
 * it open until the output shows what the test waits for. Killed after `timeoutMs`; a missing
 * program fails loudly (spawn ENOENT).
 */
export function runPeer(
  command: string,
  args: readonly string[],
  options: PeerRunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const closeStdin = () => child.stdin.end();
    child.stdin.on('error', () => {});
    if (options.input !== undefined) child.stdin.write(options.input);
    if (!options.closeStdinWhen && !options.feed) closeStdin();
    let feeding = false;
    const feed = async ({ chunks, intervalMs }: NonNullable<PeerRunOptions['feed']>) => {
      for (const chunk of chunks) {
        await new Promise((wait) => setTimeout(wait, intervalMs));
        if (!child.stdin.writableEnded) child.stdin.write(chunk);
      }
      await new Promise((wait) => setTimeout(wait, intervalMs));
      closeStdin();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (options.closeStdinWhen?.test(stdout)) closeStdin();
      if (options.feed && !feeding && options.feed.after.test(stdout)) {
        feeding = true;
        void feed(options.feed);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** `openssl s_client -connect 127.0.0.1:PORT ARGS`, reading until the echo server's welcome. */
export function sClient(
  port: number,
  args: readonly string[],
  options: PeerRunOptions = {},
): Promise<RunResult> {
  return runPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], {
    closeStdinWhen: /welcome!\n/,
    ...options,
  });
}

/** One JSON line of `tlskit serve --json`. */
export type JsonLine = { type: string } & Record<string, unknown>;

/** `tlskit serve ARGS --json` running in the background. */
export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** The `listening` line (the port, the certificate to trust). */
  listening: JsonLine & { port: number; caPem: string; url: string };
  /** Every JSON line so far. */
  lines(): JsonLine[];
  /** The first line (seen or to come) matching `where`. */
  waitForLine(where: (line: JsonLine) => boolean, timeoutMs?: number): Promise<JsonLine>;
  /** Sends `signal` (default SIGINT) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
  /** Resolves when the process exits by itself. */
  exited: Promise<RunResult>;
}

/** Starts `tlskit serve --json ARGS` and waits for its listening line. Killed at test end. */
export async function startServe(
  args: readonly string[],
  timeoutMs = 20_000,
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin/run.js'), 'serve', '--json', ...args],
    {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  const parsed: JsonLine[] = [];
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    const complete = stdout.split('\n').slice(0, -1);
    for (const line of complete.slice(parsed.length)) parsed.push(JSON.parse(line) as JsonLine);
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const exited = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      for (const wake of waiters) wake();
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  let closed = false;
  void exited.then(() => (closed = true));
  const waitForLine = (where: (line: JsonLine) => boolean, wait = 10_000) =>
    new Promise<JsonLine>((resolve, reject) => {
      const check = () => {
        const found = parsed.find(where);
        if (found) done(() => resolve(found));
        else if (closed)
          done(() => reject(new Error(`serve exited without the line; stderr: ${stderr}`)));
      };
      const timer = setTimeout(
        () =>
          done(() => reject(new Error(`no such line within ${wait} ms; got ${stdout}${stderr}`))),
        wait,
      );
      const done = (then: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        then();
      };
      waiters.add(check);
      check();
    });
  const listening = (await waitForLine(
    (line) => line.type === 'listening',
    timeoutMs,
  )) as ServeProcess['listening'];
  return {
    child,
    listening,
    lines: () => [...parsed],
    waitForLine,
    exited,
    stop: async (signal = 'SIGINT') => {
      if (!closed) child.kill(signal);
      return exited;
    },
  };
}
