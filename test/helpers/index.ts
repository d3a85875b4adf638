import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

/** The repository root (tests run compiled, from dist/test/…). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixturesDir = join(repoRoot, 'fixtures');
const binRun = join(repoRoot, 'bin/run.js');

/** A fresh temporary folder, removed when the test ends. */
export async function makeTempDir(t: ExecutionContext, prefix = 'tlskit-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Written to the child's standard input, which is then closed. */
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs a program to completion with a time limit; never throws on a non-zero exit. */
export async function runProgram(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  while (runningPrograms >= MAX_RUNNING_PROGRAMS) {
    await new Promise<void>((resolve) => waitingPrograms.push(resolve));
  }
  runningPrograms++;
  try {
    return await spawnToCompletion(command, args, options);
  } finally {
    runningPrograms--;
    waitingPrograms.shift()?.();
  }
}

/**
 * At most this many programs run at once per test worker: tables of CLI cases would otherwise
 * start dozens of Node processes together on a 2-core machine and time out. (Nothing waits on
 * one runProgram child from inside another, so the cap cannot deadlock.)
 */
const MAX_RUNNING_PROGRAMS = 4;
let runningPrograms = 0;
const waitingPrograms: Array<() => void> = [];

function spawnToCompletion(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the built CLI, as a user would: `tlskit ARGS`. */
export function runTlskit(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runProgram(process.execPath, [binRun, ...args], options);
}

/** Runs the real openssl binary. A missing openssl fails the test loudly (spawn ENOENT). */
export function runOpenssl(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runProgram('openssl', args, options);
}

/** Like runOpenssl, but fails with openssl's own stderr when it exits non-zero. */
export async function openssl(args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await runOpenssl(args, options);
  if (result.code !== 0) {
    throw new Error(`openssl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
}

/** A P-256 key and a CSR for `subject`, as `openssl req -new` makes them (the key unencrypted). */
export async function opensslEcCsr(
  keyPath: string,
  subject: string,
  csrPath: string,
): Promise<void> {
  await openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyPath,
    '-subj',
    subject,
    '-out',
    csrPath,
  ]);
}
