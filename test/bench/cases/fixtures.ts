import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/index.js';
import {
  extraCaCertsSet,
  sampleAlternately,
  timeCommand,
  withoutExtraCaCerts,
  type SampledCommand,
  type Sample,
} from '../measure.js';
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
    const script = (name: string) => (out: string) =>
      ['sh', join(scripts, `${name}-fixtures.sh`), out, scriptKeys] as const;
    const fixtures = (out: string) =>
      [process.execPath, binRun, 'fixtures', spec, '--out', out] as const;
    const [tlskit, openssl, mkcert, cfssl, tlskitBare] = (await sampleAlternately(runs, [
      freshFolder(context, `tlskit fixtures (${keys})`, fixtures),
      freshFolder(context, `openssl script, 18 processes (${keys})`, script('openssl')),
      freshFolder(context, `mkcert, 6 processes (${keys}; CA RSA-3072)`, script('mkcert')),
      freshFolder(context, `cfssl, 10 processes (${keys}; no PKCS#12)`, script('cfssl')),
      ...(extraCaCertsSet && keys === 'P-256'
        ? [
            freshFolder(context, `tlskit fixtures (${keys}), no NODE_EXTRA_CA_CERTS`, (out) =>
              withoutExtraCaCerts(fixtures(out)),
            ),
          ]
        : []),
    ])) as [Sample, Sample, Sample, Sample, Sample?];
    const peers = { mkcert, cfssl };
    if (tlskitBare) {
      comparisons.push({
        title: `standard.yaml with ${keys} keys, where NODE_EXTRA_CA_CERTS is not set`,
        tlskit: tlskitBare,
        peer: openssl,
        maxRatio: Infinity,
        goal: 'reported (the goal below is judged in this environment, as it is)',
      });
    }
    comparisons.push(
      keys === 'RSA-2048'
        ? {
            title: `standard.yaml with ${keys} keys, whole commands`,
            tlskit,
            peer: openssl,
            maxRatio: 1 / 3,
            goal: 'at least 3x faster than the openssl script',
          }
        : {
            title: `standard.yaml with ${keys} keys, whole commands`,
            tlskit,
            peer: openssl,
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
  const out = join(context.dir, 'fixtures-up-to-date');
  await timeCommand(process.execPath, [binRun, 'fixtures', standard, '--out', out]);
  const [tlskit, startup] = (await sampleAlternately(context.runs(20), [
    {
      label: 'tlskit fixtures, nothing to change',
      command: () => [process.execPath, binRun, 'fixtures', standard, '--out', out],
    },
    { label: 'tlskit --version', command: () => [process.execPath, binRun, '--version'] },
  ])) as [Sample, Sample];
  return {
    title: 'A re-run of standard.yaml with nothing to change',
    tlskit,
    peer: startup,
    maxRatio: 1.5,
    goal: 'at most 1.5x start-up',
  };
}

/** A command run into a fresh folder each time: a second run into the same folder would measure the no-op path instead. */
function freshFolder(
  context: BenchContext,
  label: string,
  command: (out: string) => readonly [string, ...string[]],
): SampledCommand {
  const folder = (run: number) => join(context.dir, `fixtures-run-${run}`);
  return {
    label,
    command: (run) => command(folder(run)),
    after: (run) => rm(folder(run), { recursive: true, force: true }),
  };
}
