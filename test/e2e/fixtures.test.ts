/**
 * `tlskit fixtures` as a user runs it: reproducible output across processes, folders and time
 * zones; transcripts of the check, the no-op run and `fixtures init`.
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { makeTempDir, repoRoot, runTlskit } from '../helpers/index.js';

const standard = join(repoRoot, 'templates/fixtures/standard.yaml');

test('two runs of standard.yaml in other processes, folders and time zones: the same bytes', async (t) => {
  const [first, second] = [await makeTempDir(t), await makeTempDir(t)];
  const [a, b] = await Promise.all([
    runTlskit(['fixtures', standard, '--out', join(first, 'pki'), '--json'], {
      cwd: first,
      env: { TZ: 'UTC', LC_ALL: 'C' },
    }),
    runTlskit(['fixtures', standard, '--out', join(second, 'pki'), '--json'], {
      cwd: second,
      env: { TZ: 'Pacific/Kiritimati', LC_ALL: 'de_DE.UTF-8' },
    }),
  ]);
  t.is(a.code, 0, a.stderr);
  t.is(b.code, 0, b.stderr);
  const manifestA = await readFile(join(first, 'pki/manifest.json'), 'utf8');
  const manifestB = await readFile(join(second, 'pki/manifest.json'), 'utf8');
  t.is(manifestA, manifestB);
  // The manifest's hashes are the files' own: the folders are equal file by file.
  const manifest = JSON.parse(manifestA) as { files: Array<{ path: string; sha256: string }> };
  t.is(manifest.files.length, (await readdir(join(first, 'pki'))).length - 1);
  for (const file of manifest.files) {
    for (const dir of [first, second]) {
      const data = await readFile(join(dir, 'pki', file.path));
      t.is(createHash('sha256').update(data).digest('hex'), file.sha256, file.path);
    }
  }
  const json = JSON.parse(a.stdout) as {
    spec: string;
    made: unknown[];
    written: string[];
    files: unknown[];
  };
  t.is(json.spec, 'standard.yaml');
  t.is(json.made.length, 8);
  t.is(json.written.length, json.files.length);
  t.is((await stat(join(first, 'pki/localhost.key.pem'))).mode & 0o777, 0o600);
  t.is((await stat(join(first, 'pki/client.p12'))).mode & 0o777, 0o600);
  t.is((await stat(join(first, 'pki/localhost.cert.pem'))).mode & 0o777, 0o644);
});

test('a second run says there is nothing to do; --check passes, then fails when stale or expiring', async (t) => {
  const dir = await makeTempDir(t);
  const spec = join(dir, 'pki.yaml');
  await writeFile(spec, SMALL_SPEC);
  const made = await runTlskit(['fixtures', spec], { cwd: dir });
  t.is(made.code, 0, made.stderr);
  t.regex(made.stdout, /^Made 3 of 3 nodes from pki\.yaml \(seeded, reproducible\)/);
  t.regex(made.stdout, /Wrote 12 files to fixtures; README\.md says what each is\./);
  const again = await runTlskit(['fixtures', spec], { cwd: dir });
  t.is(again.stdout, 'Nothing to do: fixtures is up to date with pki.yaml ✨\n');
  const check = await runTlskit(['fixtures', spec, '--check'], { cwd: dir });
  t.is(check.code, 0, check.stderr);
  t.is(check.stdout, '✓ fixtures is up to date\n');
  const expiring = await runTlskit(['fixtures', spec, '--check', '--min-days', '4000'], {
    cwd: dir,
  });
  t.is(expiring.code, ExitCode.checkFailed);
  t.regex(
    expiring.stderr,
    /^tlskit: fixtures in .*fixtures are expiring within 4000 days: root \(expires 2036-01-01, in \d+ days\), ca \(expires 2034-03-20, in \d+ days\), server \(expires 2034-03-20, in \d+ days\) \(run tlskit fixtures --renew\)\n$/,
  );
  t.is(expiring.stderr.trimEnd().split('\n').length, 1);
  await writeFile(spec, SMALL_SPEC.replace('sans: [localhost]', 'sans: [localhost, "::1"]'));
  const stale = await runTlskit(['fixtures', spec, '--check', '--json'], { cwd: dir });
  t.is(stale.code, ExitCode.checkFailed);
  t.deepEqual(JSON.parse(stale.stdout), {
    error: {
      code: 'CHECK_FAILED',
      message: `fixtures in ${join(dir, 'fixtures')} are out of date: server (spec changed)`,
      hint: 'run tlskit fixtures again',
    },
  });
  const remade = await runTlskit(['fixtures', spec, '--json'], { cwd: dir });
  const result = JSON.parse(remade.stdout) as { made: unknown; written: string[] };
  t.deepEqual(result.made, [{ node: 'server', reason: 'spec changed' }]);
  t.deepEqual(result.written.map((path) => path.slice(dir.length + 1)).sort(), [
    'fixtures/manifest.json',
    'fixtures/server.cert.pem',
    'fixtures/server.fullchain.pem',
  ]);
});

test('--seed and --epoch override the spec', async (t) => {
  const dir = await makeTempDir(t);
  const spec = join(dir, 'pki.yaml');
  await writeFile(spec, SMALL_SPEC);
  await runTlskit(['fixtures', spec, '--out', 'a'], { cwd: dir });
  const other = await runTlskit(
    ['fixtures', spec, '--out', 'b', '--seed', 'other', '--epoch', '2030-01-01', '--json'],
    { cwd: dir },
  );
  t.is(other.code, 0, other.stderr);
  const manifest = JSON.parse(await readFile(join(dir, 'b/manifest.json'), 'utf8')) as {
    epoch: string;
    nodes: Record<string, { notBefore: string }>;
  };
  t.is(manifest.epoch, '2030-01-01T00:00:00.000Z');
  t.is(manifest.nodes.server?.notBefore, '2030-01-01T00:00:00.000Z');
  t.notDeepEqual(
    await readFile(join(dir, 'b/server.key.pem')),
    await readFile(join(dir, 'a/server.key.pem')),
  );
});

test('without a spec: a usage error that says what to do', async (t) => {
  const dir = await makeTempDir(t);
  const result = await runTlskit(['fixtures'], { cwd: dir });
  t.is(result.code, ExitCode.usage);
  t.is(
    result.stderr,
    'tlskit: no spec given, and no tlskit.fixtures.yaml here (give a spec file, use --preset standard|badssl|node-tls, or write one with tlskit fixtures init)\n',
  );
  t.deepEqual(await readdir(dir), []);
});

test('fixtures init without a terminal writes the default spec, which fixtures then reads', async (t) => {
  const dir = await makeTempDir(t);
  const init = await runTlskit(['fixtures', 'init'], { cwd: dir });
  t.is(init.code, 0, init.stderr);
  t.regex(init.stdout, /^Wrote a starter spec to tlskit\.fixtures\.yaml/);
  const again = await runTlskit(['fixtures', 'init'], { cwd: dir });
  t.is(again.code, ExitCode.refused);
  t.regex(
    again.stderr,
    /^tlskit: tlskit\.fixtures\.yaml already exists \(use --force to overwrite\)\n$/,
  );
  const made = await runTlskit(['fixtures', '--json'], { cwd: dir });
  t.is(made.code, 0, made.stderr);
  t.deepEqual(
    (JSON.parse(made.stdout) as { made: Array<{ node: string }> }).made.map((entry) => entry.node),
    ['root', 'intermediate', 'server', 'client'],
  );
  t.true((await readdir(join(dir, 'fixtures'))).includes('server.fullchain.pem'));
});

test('--preset writes to ./fixtures unless --out says otherwise', async (t) => {
  const dir = await makeTempDir(t);
  await copyFile(standard, join(dir, 'ignored.yaml'));
  const result = await runTlskit(['fixtures', '--preset', 'badssl', '--json'], { cwd: dir });
  t.is(result.code, 0, result.stderr);
  const files = await readdir(join(dir, 'fixtures'));
  t.true(files.includes('expired.cert.pem'));
  t.true(files.includes('intermediate.crl.pem'));
});

const SMALL_SPEC = `seed: e2e
epoch: 2026-01-01T00:00:00Z
nodes:
  root: { profile: ca, days: 3652 }
  ca: { profile: intermediate, issuer: root, days: 3000 }
  server: { issuer: ca, sans: [localhost], days: 3000 }
`;
