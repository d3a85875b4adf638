import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One measured quantity: every sample, so the report can show the spread, not just a number. */
export interface Sample {
  label: string;
  millis: number[];
  /** Peak resident memory in KiB, when it could be measured. */
  maxRssKiB?: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a whole command once; returns wall time and peak RSS (via GNU time when present). */
export async function timeCommand(
  command: string,
  args: readonly string[],
  cwd?: string,
): Promise<{ millis: number; maxRssKiB?: number }> {
  const useTime = existsSync(GNU_TIME);
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M', command, ...args]] : [command, [...args]];
  const started = process.hrtime.bigint();
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(file, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(chunks).toString();
      if (code === 0) resolve(text);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${text}`));
    });
  });
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  const rss = useTime ? Number(stderr.trim().split('\n').pop()) : NaN;
  return Number.isFinite(rss) ? { millis, maxRssKiB: rss } : { millis };
}

/** Repeats a command `runs` times (after one warm-up run that fills the page cache). */
export async function sampleCommand(
  label: string,
  runs: number,
  command: string,
  args: readonly string[],
  cwd?: string,
): Promise<Sample> {
  const [sample] = await sampleAlternately(
    runs,
    [{ label, command: () => [command, ...args] }],
    cwd,
  );
  return sample as Sample;
}

/** A command to sample; `run` is the run's number, 0 for the warm-up. */
export interface SampledCommand {
  label: string;
  command: (run: number) => readonly [string, ...string[]];
  /** Called after each run, e.g. to remove what it wrote. */
  after?: (run: number) => Promise<void>;
}

/**
 * Runs each command `runs` times (after one warm-up run each, which fills the page cache), in
 * turn: A, B, A, B… rather than all of A then all of B, so that a machine whose speed drifts
 * (other work, frequency, a noisy neighbour) weighs on both sides of a ratio alike.
 */
export async function sampleAlternately(
  runs: number,
  commands: readonly SampledCommand[],
  cwd?: string,
): Promise<Sample[]> {
  const samples = commands.map((entry) => ({ label: entry.label, millis: [] as number[], rss: 0 }));
  for (let run = 0; run <= runs; run++) {
    for (const [index, entry] of commands.entries()) {
      const [file, ...args] = entry.command(run);
      const result = await timeCommand(file, args, cwd);
      await entry.after?.(run);
      if (run === 0) continue;
      const sample = samples[index] as (typeof samples)[number];
      sample.millis.push(result.millis);
      sample.rss = Math.max(sample.rss, result.maxRssKiB ?? 0);
    }
  }
  return samples.map(({ label, millis, rss }) =>
    rss ? { label, millis, maxRssKiB: rss } : { label, millis },
  );
}

/** Times an async function `runs` times. */
export async function sampleFunction(
  label: string,
  runs: number,
  work: () => Promise<unknown>,
): Promise<Sample> {
  const millis: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    await work();
    millis.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { label, millis };
}

/** Runs `count` jobs with at most `width` at a time. */
export async function runPool(
  count: number,
  width: number,
  job: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

/**
 * NODE_EXTRA_CA_CERTS makes every Node process parse that file's certificates before any
 * JavaScript runs (~40 ms for a system bundle of 140). Where it is set, the bench also runs
 * Node without it, as on a machine that does not set it: `env -u` in front of the command.
 */
export function withoutExtraCaCerts(
  command: readonly [string, ...string[]],
): readonly [string, ...string[]] {
  return ['env', '-u', 'NODE_EXTRA_CA_CERTS', ...command];
}

export const extraCaCertsSet = Boolean(process.env.NODE_EXTRA_CA_CERTS);
