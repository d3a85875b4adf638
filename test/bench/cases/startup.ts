import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import { sampleCommand } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');

/** `tlskit --version` against a bare `node -e 0`: what the CLI framework costs every command. */
export async function startupComparisons(context: BenchContext): Promise<Comparison[]> {
  const runs = context.runs(20);
  const peer = await sampleCommand('node -e 0', runs, process.execPath, ['-e', '0']);
  const tlskit = await sampleCommand('tlskit --version', runs, process.execPath, [
    binRun,
    '--version',
  ]);
  return [{ title: 'Start-up', tlskit, peer, maxRatio: 2, goal: 'at most 2x node -e 0' }];
}
