import test, { type ExecutionContext } from 'ava';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDhParameters } from '../../src/pki/dh/dh-params.js';
import { ffdheParameters } from '../../src/pki/dh/generate.js';
import { fixturesDir, makeTempDir, runTlskit, type RunResult } from '../helpers/index.js';

/*
 * `tlskit dhparam` as a user runs it: argv in, exit code, output lines, files and modes out.
 * Fresh groups here are 1024-bit (--allow-weak): the one 2048-bit generation of the suite is
 * in test/interop/dhparam-openssl.test.ts.
 */

const WRITE_KEYS = [
  'bits',
  'elapsedMs',
  'encoding',
  'files',
  'format',
  'generator',
  'knownGroup',
  'mode',
];
const CHECK_KEYS = [
  'bits',
  'checks',
  'encoding',
  'file',
  'format',
  'generator',
  'knownGroup',
  'mode',
  'ok',
];

async function dhparam(t: ExecutionContext, args: string[]) {
  const dir = await makeTempDir(t);
  const result = await runTlskit(['dhparam', ...args], { cwd: dir });
  return { dir, ...result };
}

function parseJson<T>(t: ExecutionContext, result: RunResult, keys: string[]): T {
  const json = JSON.parse(result.stdout) as T & object;
  t.deepEqual(Object.keys(json).sort(), keys);
  return json;
}

const dhFixture = (name: string) => join(fixturesDir, 'malformed', 'dh', name);

test('--group ffdhe2048: the RFC 7919 group in PEM (0644), said in three lines', async (t) => {
  const { dir, code, stdout, stderr } = await dhparam(t, [
    '--group',
    'ffdhe2048',
    '--out',
    'dh.pem',
  ]);
  t.is(code, 0, stderr);
  t.is(stderr, '');
  t.deepEqual(stdout.trimEnd().split('\n'), [
    'Wrote the RFC 7919 group ffdhe2048 (2048 bits, g = 2, about 103-bit security) 📜',
    '  → dh.pem',
    "Only DHE suites use it: tls.createServer({ dhparam: readFileSync('dh.pem'), … })",
  ]);
  t.is(await readFile(join(dir, 'dh.pem'), 'utf8'), ffdheParameters('ffdhe2048').pem);
  t.is((await stat(join(dir, 'dh.pem'))).mode & 0o777, 0o644);
});

test('--group --json --format der', async (t) => {
  const result = await dhparam(t, [
    '--group',
    'ffdhe4096',
    '--format',
    'der',
    '--out',
    'dh.der',
    '--json',
  ]);
  t.is(result.code, 0, result.stderr);
  t.deepEqual(parseJson(t, result, WRITE_KEYS), {
    mode: 'group',
    bits: 4096,
    generator: '2',
    knownGroup: { name: 'ffdhe4096', standard: 'RFC 7919', bits: 4096 },
    format: 'pkcs3',
    encoding: 'der',
    elapsedMs: null,
    files: ['dh.der'],
  });
  t.deepEqual(await readFile(join(result.dir, 'dh.der')), ffdheParameters('ffdhe4096').der);
});

test('--out - puts the parameters alone on stdout and the notes on stderr', async (t) => {
  const result = await dhparam(t, ['--group', 'ffdhe3072', '--out', '-']);
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, ffdheParameters('ffdhe3072').pem);
  t.regex(result.stderr, /^Wrote the RFC 7919 group ffdhe3072/);
  t.deepEqual(await readdir(result.dir), []);
});

test('an existing file is not overwritten without --force (exit 4), and is with it', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'dh.pem'), 'keep me');
  const refused = await runTlskit(['dhparam', '--group', 'ffdhe2048', '--out', 'dh.pem'], {
    cwd: dir,
  });
  t.is(refused.code, 4);
  t.is(refused.stderr, 'tlskit: dh.pem already exists (use --force to overwrite)\n');
  t.is(await readFile(join(dir, 'dh.pem'), 'utf8'), 'keep me');
  const forced = await runTlskit(
    ['dhparam', '--group', 'ffdhe2048', '--out', 'dh.pem', '--force'],
    {
      cwd: dir,
    },
  );
  t.is(forced.code, 0, forced.stderr);
  t.is(await readFile(join(dir, 'dh.pem'), 'utf8'), ffdheParameters('ffdhe2048').pem);
});

test('--bits 1024 --allow-weak generates a safe-prime group that --check accepts with a warning', async (t) => {
  const made = await dhparam(t, ['--bits', '1024', '--allow-weak', '--out', 'weak.pem', '--json']);
  t.is(made.code, 0, made.stderr);
  const json = parseJson<{ mode: string; bits: number; elapsedMs: number; knownGroup: null }>(
    t,
    made,
    WRITE_KEYS,
  );
  t.like(json, { mode: 'generate', bits: 1024, knownGroup: null });
  t.true(Number.isInteger(json.elapsedMs));
  const file = join(made.dir, 'weak.pem');
  const { parameters } = decodeDhParameters(await readFile(file), file);
  t.is(parameters.prime % 24n, 23n);
  const checked = await runTlskit(['dhparam', '--check', file]);
  t.is(checked.code, 0, checked.stderr);
  t.regex(checked.stdout, /DH parameters appear to be OK/);
  t.regex(checked.stdout, /! size: p has 1024 bits: weak/);
});

test('--bits 1024 without --allow-weak is refused (exit 4) before any search', async (t) => {
  const result = await dhparam(t, ['--bits', '1024', '--out', 'weak.pem']);
  t.is(result.code, 4);
  t.regex(result.stderr, /^tlskit: a 1024-bit DH group is below 2048 bits .*--allow-weak.*\n$/);
  t.deepEqual(await readdir(result.dir), []);
});

test('--check names a published group', async (t) => {
  const result = await dhparam(t, ['--check', dhFixture('good.dh.pem')]);
  t.is(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  t.is(lines[0], `${dhFixture('good.dh.pem')}: this is ffdhe2048 (RFC 7919)`);
  t.deepEqual(lines.slice(1), [
    '├─ Parameters: 2048-bit p, g = 2',
    '├─ ✓ size: p has 2048 bits',
    '├─ ✓ prime: p is the published prime of ffdhe2048 (RFC 7919)',
    '├─ ✓ safe-prime: ffdhe2048 (RFC 7919) is a safe-prime group',
    '├─ ✓ generator-range: g = 2 is in 2 … p-2',
    '└─ ✓ generator-order: g generates the subgroup of prime order q = (p-1)/2',
  ]);
});

test('--check --json on a failing file: the whole verdict on stdout, exit 1', async (t) => {
  const result = await dhparam(t, ['--check', dhFixture('not-safe.dh.pem'), '--json']);
  t.is(result.code, 1);
  t.is(result.stderr, '');
  const json = parseJson<{ ok: boolean; checks: Array<{ name: string; status: string }> }>(
    t,
    result,
    CHECK_KEYS,
  );
  t.false(json.ok);
  t.deepEqual(
    json.checks.map((check) => `${check.name}:${check.status}`),
    ['size:warn', 'prime:pass', 'safe-prime:fail', 'generator-range:pass'],
  );
});

test('--check on a failing file: the report on stdout, one line on stderr, exit 1', async (t) => {
  const result = await dhparam(t, ['--check', dhFixture('not-prime.dh.pem')]);
  t.is(result.code, 1);
  t.regex(result.stdout, /FAIL the checks/);
  t.regex(result.stdout, /✗ prime: p is not prime/);
  t.is(result.stderr.split('\n').length, 2);
  t.regex(
    result.stderr,
    /^tlskit: .*not-prime\.dh\.pem: p is not prime \(do not use these parameters/,
  );
});

test('a mode is required, and only one', async (t) => {
  const none = await dhparam(t, ['--out', 'dh.pem']);
  t.is(none.code, 2);
  t.regex(
    none.stderr,
    /^tlskit: .*Exactly one of the following must be provided: --bits, --check, --group/,
  );
  const two = await dhparam(t, ['--group', 'ffdhe2048', '--bits', '2048', '--out', 'dh.pem']);
  t.is(two.code, 2);
  t.deepEqual(await readdir(two.dir), []);
});

test('writing needs --out, and --json cannot share stdout with the parameters', async (t) => {
  const noOut = await dhparam(t, ['--group', 'ffdhe2048']);
  t.is(noOut.code, 2);
  t.is(
    noOut.stderr,
    'tlskit: --out is required when writing DH parameters (add --out dhparam.pem, or --out - for standard output)\n',
  );
  const json = await dhparam(t, ['--group', 'ffdhe2048', '--out', '-', '--json']);
  t.is(json.code, 2);
  t.like(JSON.parse(json.stdout), { error: { code: 'USAGE' } });
});
