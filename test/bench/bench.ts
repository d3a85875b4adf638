/**
 * `npm run bench`: tlskit and its peers measured side by side in one run, with ratios against
 * the goals the issues set. Prints a report; `--json` prints the results as JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, formatComparison, type Comparison } from './report.js';
import { caComparisons } from './cases/ca.js';
import { dhparamComparisons } from './cases/dhparam.js';
import { fixturesComparisons } from './cases/fixtures.js';
import { handshakeComparisons } from './cases/handshakes.js';
import { keygenComparisons } from './cases/keygen.js';
import { probeComparisons } from './cases/probe.js';
import { startupComparisons } from './cases/startup.js';

export interface BenchContext {
  /** A scratch folder, removed at the end. */
  dir: string;
  /** Scales repetition counts (BENCH_RUNS_SCALE=0.5 for a quick look). */
  runs(base: number): number;
}

/** Each area's comparisons; BENCH_ONLY=keygen,probe runs a subset. */
const cases: Record<string, (context: BenchContext) => Promise<Comparison[]>> = {
  startup: startupComparisons,
  keygen: keygenComparisons,
  ca: caComparisons,
  dhparam: dhparamComparisons,
  fixtures: fixturesComparisons,
  handshakes: handshakeComparisons,
  probe: probeComparisons,
};

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const scale = Number(process.env.BENCH_RUNS_SCALE ?? '1');
  const dir = await mkdtemp(join(tmpdir(), 'tlskit-bench-'));
  const context: BenchContext = { dir, runs: (base) => Math.max(1, Math.round(base * scale)) };
  const results = [];
  try {
    const only = process.env.BENCH_ONLY?.split(',');
    for (const [name, run] of Object.entries(cases)) {
      if (only && !only.includes(name)) continue;
      for (const comparison of await run(context)) {
        const result = compare(comparison);
        results.push(result);
        if (!json) console.log(`${formatComparison(result)}\n`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (json) console.log(JSON.stringify({ node: process.version, results }, null, 2));
  else {
    const missed = results.filter((result) => !result.met).length;
    console.log(`${results.length - missed} of ${results.length} goals met`);
  }
}

await main();
