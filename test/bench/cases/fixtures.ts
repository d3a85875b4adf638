import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import { sampleCommand, timeCommand, type Sample } from '../measure.js';
import type { Comparison } from '../report.js';
import type { BenchContext } from '../bench.js';

const binRun = join(repoRoot, 'bin/run.js');
const standard = join(repoRoot, 'templates/fixtures/standard.yaml');
const scripts = join(repoRoot, 'test/bench');

/**
 * `tlskit fixtures` on standard.yaml (with RSA-2048 keys as shipped, and with P-256 keys) against
 * the same PKI made by an openssl shell script (18 processes), and against mkcert's and cfssl's
 * nearest equivalents; whole commands, each run into a fresh folder. And a re-run with nothing
 * to change against bare start-up.
 */
export async function fixturesComparisons(context: BenchContext): Promise<Comparison[]> {
  const ecSpec = join(context.dir, 'standard-p256.yaml');
  await writeFile(
    ecSpec,
    (await readFile(standard, 'utf8')).replace('key: rsa-2048', 'key: P-256'),
  );
  const comparisons: Comparison[] = [];
  for (const [keys, spec, scriptKeys, runs] of [
    ['RSA-2048', standard, 'rsa', context.runs(5)],
    ['P-256', ecSpec, 'ec', context.runs(10)],
  ] as const) {
    const tlskit = await sampleFresh(context, `tlskit fixtures (${keys})`, runs, (out) => [
      process.execPath,
      binRun,
      'fixtures',
      spec,
      '--out',
      out,
    ]);
    const peers = {
      openssl: await sampleFresh(context, `openssl script, 18 processes (${keys})`, runs, (out) => [
        'sh',
        join(scripts, 'openssl-fixtures.sh'),
        out,
        scriptKeys,
      ]),
      mkcert: await sampleFresh(
        context,
        `mkcert, 6 processes (${keys}; CA RSA-3072)`,
        runs,
        (out) => ['sh', join(scripts, 'mkcert-fixtures.sh'), out, scriptKeys],
      ),
      cfssl: await sampleFresh(
        context,
        `cfssl, 10 processes (${keys}; no PKCS#12)`,
        runs,
        (out) => ['sh', join(scripts, 'cfssl-fixtures.sh'), out, scriptKeys],
      ),
    };
    comparisons.push(
      keys === 'RSA-2048'
        ? {
            title: `standard.yaml with ${keys} keys, whole commands`,
            tlskit,
            peer: peers.openssl,
            maxRatio: 1 / 3,
            goal: 'at least 3x faster than the openssl script',
          }
        : {
            title: `standard.yaml with ${keys} keys, whole commands`,
            tlskit,
            peer: peers.openssl,
            maxRatio: 1,
            goal: 'no slower than the openssl script',
          },
      ...(['mkcert', 'cfssl'] as const).map((name) => ({
        title: `standard.yaml with ${keys} keys, against ${name}'s nearest equivalent`,
        tlskit,
        peer: peers[name],
        maxRatio: Infinity,
        goal: 'reported (they make less: no intermediate or no PKCS#12)',
      })),
    );
  }
  comparisons.push(await noChangeComparison(context));
  return comparisons;
}

/** A second run over an up-to-date folder costs about what start-up costs. */
async function noChangeComparison(context: BenchContext): Promise<Comparison> {
  const runs = context.runs(20);
  const out = join(context.dir, 'fixtures-up-to-date');
  await timeCommand(process.execPath, [binRun, 'fixtures', standard, '--out', out]);
  const tlskit = await sampleCommand('tlskit fixtures, nothing to change', runs, process.execPath, [
    binRun,
    'fixtures',
    standard,
    '--out',
    out,
  ]);
  const startup = await sampleCommand('tlskit --version', runs, process.execPath, [
    binRun,
    '--version',
  ]);
  return {
    title: 'A re-run of standard.yaml with nothing to change',
    tlskit,
    peer: startup,
    maxRatio: 1.5,
    goal: 'at most 1.5x start-up',
  };
}

/**
 * Runs a command `runs` times (after one warm-up run), each into a fresh folder: a second run
 * into the same folder would measure the no-op path instead.
 */
async function sampleFresh(
  context: BenchContext,
  label: string,
  runs: number,
  command: (out: string) => readonly string[],
): Promise<Sample> {
  const millis: number[] = [];
  let maxRssKiB = 0;
  for (let run = 0; run <= runs; run++) {
    const out = join(context.dir, `fixtures-run-${run}`);
    const [file, ...args] = command(out) as [string, ...string[]];
    const result = await timeCommand(file, args);
    await rm(out, { recursive: true, force: true });
    if (run === 0) continue; // warm-up: fills the page cache
    millis.push(result.millis);
    maxRssKiB = Math.max(maxRssKiB, result.maxRssKiB ?? 0);
  }
  return maxRssKiB ? { label, millis, maxRssKiB } : { label, millis };
}
