import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import {
  extraCaCertsSet,
  sampleAlternately,
  withoutExtraCaCerts,
  type Sample,
} from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');

/** `tlskit --version` against a bare `node -e 0`: what the CLI framework costs every command. */
export async function startupComparisons(context: BenchContext): Promise<Comparison[]> {
  const tlskitCommand = [process.execPath, binRun, '--version'] as const;
  const nodeCommand = [process.execPath, '-e', '0'] as const;
  const samples = await sampleAlternately(context.runs(20), [
    { label: 'tlskit --version', command: () => tlskitCommand },
    { label: 'node -e 0', command: () => nodeCommand },
    ...(extraCaCertsSet
      ? [
          {
            label: 'tlskit --version, no NODE_EXTRA_CA_CERTS',
            command: () => withoutExtraCaCerts(tlskitCommand),
          },
          {
            label: 'node -e 0, no NODE_EXTRA_CA_CERTS',
            command: () => withoutExtraCaCerts(nodeCommand),
          },
        ]
      : []),
  ]);
  const [tlskit, peer, tlskitBare, nodeBare] = samples as [Sample, Sample, Sample?, Sample?];
  return [
    { title: 'Start-up', tlskit, peer, maxRatio: 2, goal: 'at most 2x node -e 0' },
    ...(tlskitBare && nodeBare
      ? [
          {
            title: 'Start-up where NODE_EXTRA_CA_CERTS is not set',
            tlskit: tlskitBare,
            peer: nodeBare,
            maxRatio: Infinity,
            goal: 'reported (the goal above is judged in this environment, as it is)',
          },
        ]
      : []),
  ];
}
