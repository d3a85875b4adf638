import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import { sampleCommand, timeCommand, type Sample } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');

/** Each side's safe-prime runs stop after this long (at least MIN_SAFE_PRIME_RUNS runs). */
const SAFE_PRIME_BUDGET_MS = 240_000;
const MIN_SAFE_PRIME_RUNS = 3;

/**
 * DH parameters, whole commands. ffdhe2048 is data on both sides, so start-up dominates. A
 * fresh 2048-bit safe prime is OpenSSL's own search on both sides (Node's generatePrime calls
 * BN_generate_prime_ex with the same p ≡ 23 mod 24 condition as `openssl dhparam`): single runs
 * vary from seconds to a minute, so there are few of them, with min and max shown.
 */
export async function dhparamComparisons(context: BenchContext): Promise<Comparison[]> {
  const out = join(context.dir, 'bench-dh.pem');
  const groupRuns = context.runs(10);
  const groupTlskit = await sampleCommand(
    'tlskit dhparam --group ffdhe2048',
    groupRuns,
    process.execPath,
    [binRun, 'dhparam', '--group', 'ffdhe2048', '--out', out, '--force'],
  );
  const groupOpenssl = await sampleCommand(
    'openssl genpkey -genparam group:ffdhe2048',
    groupRuns,
    'openssl',
    ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', out],
  );

  const primeRuns = Math.max(MIN_SAFE_PRIME_RUNS, context.runs(5));
  const primeTlskit = await sampleWithinBudget(
    'tlskit dhparam --bits 2048',
    primeRuns,
    process.execPath,
    [binRun, 'dhparam', '--bits', '2048', '--out', out, '--force'],
  );
  const primeOpenssl = await sampleWithinBudget('openssl dhparam 2048', primeRuns, 'openssl', [
    'dhparam',
    '-out',
    out,
    '2048',
  ]);
  return [
    {
      title: 'DH group ffdhe2048 (RFC 7919), whole command',
      tlskit: groupTlskit,
      peer: groupOpenssl,
      maxRatio: Infinity,
      goal: 'reported (no search on either side: Node start-up dominates)',
    },
    {
      title: 'Fresh 2048-bit safe-prime DH group, whole command',
      tlskit: primeTlskit,
      peer: primeOpenssl,
      maxRatio: Infinity,
      goal: 'reported (the same OpenSSL search; random, see min and max)',
    },
  ];
}

/**
 * Up to `runs` runs, no warm-up (one run is already seconds), stopping early once
 * SAFE_PRIME_BUDGET_MS have passed and MIN_SAFE_PRIME_RUNS are done.
 */
async function sampleWithinBudget(
  label: string,
  runs: number,
  command: string,
  args: readonly string[],
): Promise<Sample> {
  const started = Date.now();
  const millis: number[] = [];
  let maxRssKiB = 0;
  while (millis.length < runs) {
    if (millis.length >= MIN_SAFE_PRIME_RUNS && Date.now() - started > SAFE_PRIME_BUDGET_MS) break;
    const result = await timeCommand(command, args);
    millis.push(result.millis);
    maxRssKiB = Math.max(maxRssKiB, result.maxRssKiB ?? 0);
  }
  return maxRssKiB ? { label, millis, maxRssKiB } : { label, millis };
}
