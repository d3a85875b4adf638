/*
 * Twenty `tlskit ca issue` processes at once on one CA folder: the folder lock must keep every
 * serial distinct and index.txt whole, as `openssl ca` reads it.
 */
import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaIssueResult } from '../../src/pki/ca/issue.js';
import { parseIndex } from '../../src/pki/ca/openssl-index.js';
import { makeTempDir, openssl, runOpenssl, runTlskit } from '../helpers/index.js';

const PROCESSES = 20;

test(`${PROCESSES} concurrent ca issue processes: distinct serials, an intact index openssl accepts`, async (t) => {
  t.timeout(240_000);
  const dir = await makeTempDir(t);
  const ca = join(dir, 'ca');
  const init = await runTlskit(['ca', 'init', ca, '--passout', 'pass:ca-pass']);
  t.is(init.code, 0, init.stderr);
  const runs = await Promise.all(
    Array.from({ length: PROCESSES }, (_, index) =>
      runTlskit(
        [
          'ca',
          'issue',
          ca,
          '--cn',
          `host${index}.example.test`,
          '--out',
          join(dir, `host${index}`),
          '--passin',
          'pass:ca-pass',
          '--json',
        ],
        { timeoutMs: 200_000 },
      ),
    ),
  );
  for (const run of runs) t.is(run.code, 0, run.stderr);
  const results = runs.map((run) => JSON.parse(run.stdout) as CaIssueResult);
  const serials = results.map((result) => result.serial);
  t.is(new Set(serials).size, PROCESSES, 'every serial distinct');

  const entries = parseIndex(await readFile(join(ca, 'index.txt'), 'utf8'), 'index.txt');
  t.deepEqual(entries.map((entry) => entry.serial).sort(), [...serials].sort());
  t.deepEqual(
    entries.map((entry) => entry.subject).sort(),
    results.map((result) => `/${result.subject}`).sort(),
  );
  t.is((await readdir(join(ca, 'newcerts'))).length, PROCESSES);
  t.deepEqual(
    (await readdir(ca)).filter((name) => name.startsWith('.')),
    [],
    'no lock or temp file left',
  );

  const config = join(ca, 'openssl.cnf');
  const updated = await runOpenssl([
    'ca',
    '-config',
    config,
    '-passin',
    'pass:ca-pass',
    '-updatedb',
  ]);
  t.is(updated.code, 0, updated.stderr);
  for (const serial of serials.slice(0, 5)) {
    const status = await runOpenssl(['ca', '-config', config, '-status', serial]);
    t.regex(status.stderr, new RegExp(`${serial}=Valid \\(V\\)`));
  }
  const verified = await openssl([
    'verify',
    '-CAfile',
    join(ca, 'ca.cert.pem'),
    ...results.map((result) => result.files.certificate),
  ]);
  t.is(
    verified
      .trim()
      .split('\n')
      .filter((line) => line.endsWith(': OK')).length,
    PROCESSES,
  );
});
