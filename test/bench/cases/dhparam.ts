import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import { sampleCommand, timeCommand, type Sample } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');

/** The safe-prime runs stop after this long (once each side has MIN_SAFE_PRIME_RUNS runs). */
const SAFE_PRIME_BUDGET_MS = 300_000;
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

  const [primeTlskit, primeOpenssl] = await interleavedWithinBudget(
    Math.max(MIN_SAFE_PRIME_RUNS, context.runs(5)),
    {
      label: 'tlskit dhparam --bits 2048',
      command: process.execPath,
      args: [binRun, 'dhparam', '--bits', '2048', '--out', out, '--force'],
    },
    { label: 'openssl dhparam 2048', command: 'openssl', args: ['dhparam', '-out', out, '2048'] },
  );
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

interface Side {
  label: string;
  command: string;
  args: readonly string[];
}

/**
 * Up to `runs` runs of each side, alternating so that both meet the same machine load, with no
 * warm-up (one run is already seconds); stops early once SAFE_PRIME_BUDGET_MS have passed and
 * each side has MIN_SAFE_PRIME_RUNS.
 */
async function interleavedWithinBudget(
  runs: number,
  ...sides: [Side, Side]
): Promise<[Sample, Sample]> {
  const started = Date.now();
  const samples = sides.map((side) => ({ side, millis: [] as number[], maxRssKiB: 0 }));
  for (let run = 0; run < runs; run++) {
    if (run >= MIN_SAFE_PRIME_RUNS && Date.now() - started > SAFE_PRIME_BUDGET_MS) break;
    for (const sample of samples) {
      const result = await timeCommand(sample.side.command, sample.side.args);
      sample.millis.push(result.millis);
      sample.maxRssKiB = Math.max(sample.maxRssKiB, result.maxRssKiB ?? 0);
    }
  }
  const [first, second] = samples.map(({ side, millis, maxRssKiB }) =>
    maxRssKiB ? { label: side.label, millis, maxRssKiB } : { label: side.label, millis },
  );
  return [first as Sample, second as Sample];
}
