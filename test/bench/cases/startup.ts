import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import { sampleAlternately, type Sample } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');

/** `tlskit --version` against a bare `node -e 0`: what the CLI framework costs every command. */
export async function startupComparisons(context: BenchContext): Promise<Comparison[]> {
  const [tlskit, peer] = (await sampleAlternately(context.runs(20), [
    { label: 'tlskit --version', command: () => [process.execPath, binRun, '--version'] },
    { label: 'node -e 0', command: () => [process.execPath, '-e', '0'] },
  ])) as [Sample, Sample];
  return [{ title: 'Start-up', tlskit, peer, maxRatio: 2, goal: 'at most 2x node -e 0' }];
}
