import { join } from 'node:path';
import { generateKeyPair } from '../../../src/pki/keys.js';
import { repoRoot } from '../../helpers/index.js';
import { runPool, sampleCommand, sampleFunction, timeCommand } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');
const BATCH = 20;

/**
 * RSA-2048 key generation. The prime search is random, so single runs vary a lot: medians over
 * several runs, with min and max shown.
 */
export async function keygenComparisons(context: BenchContext): Promise<Comparison[]> {
  const runs = context.runs(10);
  const out = join(context.dir, 'bench.key');
  const oneTlskit = await sampleCommand('tlskit keygen (RSA 2048)', runs, process.execPath, [
    binRun,
    'keygen',
    '--out',
    out,
    '--force',
  ]);
  const oneOpenssl = await sampleCommand('openssl genrsa 2048', runs, 'openssl', [
    'genrsa',
    '-out',
    out,
    '2048',
  ]);

  const batchRuns = context.runs(3);
  const batchTlskit = await sampleFunction(
    `${BATCH} RSA-2048 keys, library API, 1 process`,
    batchRuns,
    () =>
      Promise.all(
        Array.from({ length: BATCH }, () => generateKeyPair({ type: 'rsa', bits: 2048 })),
      ),
  );
  const batchOpenssl = await sampleFunction(
    `${BATCH} openssl genrsa 2048 processes, 2 at a time`,
    batchRuns,
    () =>
      runPool(BATCH, 2, (index) =>
        timeCommand('openssl', ['genrsa', '-out', join(context.dir, `k${index}.pem`), '2048']),
      ),
  );
  return [
    {
      title: 'One RSA-2048 key, whole command',
      tlskit: oneTlskit,
      peer: oneOpenssl,
      maxRatio: Infinity,
      goal: 'reported (RSA prime search dominates)',
    },
    {
      title: `${BATCH} RSA-2048 keys`,
      tlskit: batchTlskit,
      peer: batchOpenssl,
      maxRatio: 1,
      goal: 'tlskit faster (both cores)',
    },
  ];
}
