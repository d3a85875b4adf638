import { join } from 'node:path';
import { initCa } from '../../../src/pki/ca/init.js';
import { issueFromCa } from '../../../src/pki/ca/issue.js';
import { opensslEcCsr, repoRoot } from '../../helpers/index.js';
import { sampleCommand, sampleFunction, timeCommand } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');
const BATCH = 20;

/**
 * Issuing from a CA folder: tlskit and `openssl ca` take turns on the same folder (tlskit's,
 * through its openssl.cnf), from the same CSR. One certificate is a whole command each; a batch
 * is tlskit's library issuing concurrently in one process (the folder lock serialises only the
 * index and serial writes; every file is fsynced) against `openssl ca` run once per certificate, one after another — it
 * takes no lock, so it cannot safely run in parallel.
 */
export async function caComparisons(context: BenchContext): Promise<Comparison[]> {
  const ca = join(context.dir, 'bench-ca');
  await initCa({ dir: ca });
  const csr = join(context.dir, 'bench.csr');
  await opensslEcCsr(join(context.dir, 'bench.key'), '/CN=bench.example.test', csr);
  const config = join(ca, 'openssl.cnf');
  const out = join(context.dir, 'issued');
  const runs = context.runs(10);
  const oneTlskit = await sampleCommand('tlskit ca issue --csr', runs, process.execPath, [
    binRun,
    'ca',
    'issue',
    ca,
    '--csr',
    csr,
    '--out',
    out,
    '--force',
  ]);
  const opensslArgs = ['ca', '-config', config, '-batch', '-notext', '-in', csr, '-out'];
  const oneOpenssl = await sampleCommand('openssl ca -batch', runs, 'openssl', [
    ...opensslArgs,
    `${out}.openssl.pem`,
  ]);

  const batchRuns = context.runs(3);
  let round = 0;
  const batchTlskit = await sampleFunction(
    `${BATCH} certificates, library API, 1 process`,
    batchRuns,
    () => {
      round++;
      return Promise.all(
        Array.from({ length: BATCH }, (_, index) =>
          issueFromCa({ dir: ca, csrPath: csr, out: join(context.dir, `b${round}-${index}`) }),
        ),
      );
    },
  );
  const batchOpenssl = await sampleFunction(
    `${BATCH} openssl ca processes, one at a time`,
    batchRuns,
    async () => {
      for (let index = 0; index < BATCH; index++) {
        await timeCommand('openssl', [...opensslArgs, join(context.dir, `o${index}.pem`)]);
      }
    },
  );
  return [
    {
      title: 'Issue one certificate from a CA folder, whole command',
      tlskit: oneTlskit,
      peer: oneOpenssl,
      maxRatio: Infinity,
      goal: 'reported (Node start-up dominates)',
    },
    {
      title: `Issue ${BATCH} certificates from one CA folder`,
      tlskit: batchTlskit,
      peer: batchOpenssl,
      // Every file tlskit writes is fsynced (7 per certificate: cert, key or chain, fullchain,
      // newcerts copy, serial, index); openssl ca syncs none. The lock keeps only the last two.
      maxRatio: 3,
      goal: 'at most 3x (tlskit fsyncs each file, openssl ca none)',
    },
  ];
}
