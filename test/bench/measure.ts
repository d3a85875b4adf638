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
  await timeCommand(command, args, cwd);
  const millis: number[] = [];
  let maxRssKiB = 0;
  for (let run = 0; run < runs; run++) {
    const result = await timeCommand(command, args, cwd);
    millis.push(result.millis);
    maxRssKiB = Math.max(maxRssKiB, result.maxRssKiB ?? 0);
  }
  return maxRssKiB ? { label, millis, maxRssKiB } : { label, millis };
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
