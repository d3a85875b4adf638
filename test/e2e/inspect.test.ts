/** `tlskit inspect` as a user runs it: exit codes, the one stderr line, stdout, colour, JSON. */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { fixturesDir, makeTempDir, openssl, runTlskit, type RunResult } from '../helpers/index.js';

const fixture = (name: string) => join(fixturesDir, 'inspect', name);
const malformed = (name: string) => join(fixturesDir, 'malformed', name);
const ESCAPE = '\u001b[';
/** SGR sequences, built from a string so that the regex source holds no control character. */
const SGR = new RegExp(`${ESCAPE.replace('[', '\\[')}[0-9;]*m`, 'g');

/** A failure is exactly one stderr line, `tlskit: …`, with no stack trace, and nothing on stdout. */
function assertOneLineFailure(
  t: import('ava').ExecutionContext,
  run: RunResult,
  code: number,
  says: RegExp,
): void {
  t.is(run.code, code, run.stderr);
  const lines = run.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, run.stderr);
  t.regex(lines[0] ?? '', /^tlskit: /);
  t.regex(run.stderr, says);
  t.notRegex(run.stderr, /^\s+at /m);
  t.is(run.stdout, '');
}

test('a certificate: the tree on stdout, plain when not a terminal', async (t) => {
  // No NO_COLOR here: stdout is a pipe, and that alone must turn colour off.
  const run = await runTlskit(['inspect', fixture('openssl.p256-leaf.cert.pem')], {
    env: { NO_COLOR: undefined, FORCE_COLOR: undefined },
  });
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  t.true(
    run.stdout.startsWith(
      'Certificate\n├─ Subject: C=UK, O=tlskit fixtures, CN=www.example.test\n',
    ),
  );
  t.true(run.stdout.includes('├─ Subject alternative names\n│  ├─ DNS:www.example.test\n'));
  t.regex(run.stdout, /Status: (valid, expires in \d+ days?|EXPIRED \d+ days? ago)/);
  t.false(run.stdout.includes(ESCAPE));
});

test('FORCE_COLOR colours the tree, NO_COLOR wins over it', async (t) => {
  const file = fixture('openssl.rsa2048.cert.pem');
  const coloured = await runTlskit(['inspect', file], {
    env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
  });
  t.is(coloured.code, 0, coloured.stderr);
  t.true(coloured.stdout.includes(ESCAPE));
  const plain = await runTlskit(['inspect', file], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
  t.false(plain.stdout.includes(ESCAPE));
  t.is(plain.stdout.replace(SGR, ''), coloured.stdout.replace(SGR, ''));
});

test('--json: the result object, with Node names and openssl-equal fingerprints', async (t) => {
  const file = fixture('openssl.rsa2048.cert.der');
  const run = await runTlskit(['inspect', file, '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  t.is(result.file, file);
  t.is(result.encoding, 'der');
  const [certificate] = result.objects;
  t.like(certificate, {
    index: 1,
    kind: 'certificate',
    bits: 2048,
    serialNumber: '1001',
    selfSigned: true,
  });
  const fingerprint = await openssl([
    'x509',
    '-inform',
    'DER',
    '-in',
    file,
    '-noout',
    '-fingerprint',
    '-sha256',
  ]);
  t.is(`sha256 Fingerprint=${certificate.fingerprint256}\n`, fingerprint);
});

test('a chain: every certificate, numbered, each pointing at its issuer', async (t) => {
  const run = await runTlskit(['inspect', fixture('openssl.chain.pem')]);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, /openssl\.chain\.pem: 3 objects/);
  t.regex(run.stdout, /#1 Certificate\n[^#]*Issuer: .*Intermediate CA \(#2 in this file\)/);
  t.regex(run.stdout, /#3 Certificate\n[^#]*\(self-signed\)/);
});

test('--pem prints the certificate back after the description, as openssl x509 would', async (t) => {
  const run = await runTlskit(['inspect', fixture('openssl.rsa2048.cert.der'), '--pem']);
  t.is(run.code, 0, run.stderr);
  const pem = await readFile(fixture('openssl.rsa2048.cert.pem'), 'utf8');
  t.true(run.stdout.endsWith(`\n\n${pem}`));
  const dir = await makeTempDir(t);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'out.pem'), run.stdout);
  t.regex(await openssl(['x509', '-in', join(dir, 'out.pem'), '-noout', '-serial']), /serial=1001/);
});

test('an encrypted key opens with --passin and shows how it is encrypted', async (t) => {
  const run = await runTlskit(
    ['inspect', fixture('openssl.p256-leaf.enc.key.pem'), '--passin', 'env:KEY_PASS'],
    {
      env: { KEY_PASS: 'tlskit-fixture' },
    },
  );
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, /Encrypted: PBES2, PBKDF2 with hmacWithSHA256, 2048 iterations, aes-256-cbc/);
  t.notRegex(run.stdout, /BEGIN/);
});

test('an encrypted key without --passin and without a terminal is a usage error naming --passin', async (t) => {
  const run = await runTlskit(['inspect', fixture('openssl.p256-leaf.enc.key.pem')]);
  assertOneLineFailure(t, run, ExitCode.usage, /--passin/);
});

test('a wrong passphrase is bad input saying so', async (t) => {
  const run = await runTlskit([
    'inspect',
    fixture('openssl.p256-leaf.enc.key.der'),
    '--passin',
    'pass:not-it',
  ]);
  assertOneLineFailure(t, run, ExitCode.badInput, /wrong passphrase/);
});

const BAD: Array<[string, (dir: string) => string[], number, RegExp]> = [
  [
    'random bytes',
    () => [malformed('garbage.bin')],
    ExitCode.badInput,
    /garbage\.bin: not a certificate, CSR or key/,
  ],
  [
    'a cut DER certificate',
    () => [malformed('truncated-cert.der')],
    ExitCode.badInput,
    /truncated-cert\.der: truncated DER/,
  ],
  [
    'a PEM block without END',
    () => [malformed('truncated-csr.pem')],
    ExitCode.badInput,
    /truncated/,
  ],
  ['an empty file', () => [malformed('empty.pem')], ExitCode.badInput, /empty/],
  ['a folder', (dir) => [dir], ExitCode.badInput, /is a folder/],
  [
    'a missing file',
    (dir) => [join(dir, 'nope.pem')],
    ExitCode.badInput,
    /nope\.pem: no such file/,
  ],
  ['no file at all', () => [], ExitCode.usage, /Missing 1 required arg/],
  [
    'a malformed --passin',
    () => [fixture('openssl.p256-leaf.enc.key.pem'), '--passin', 'secret'],
    ExitCode.usage,
    /passphrase source|--passin/,
  ],
];

for (const [name, args, code, says] of BAD) {
  test(`bad input: ${name} → exit ${code}, one line`, async (t) => {
    const dir = await makeTempDir(t);
    const run = await runTlskit(['inspect', ...args(dir)]);
    assertOneLineFailure(t, run, code, says);
  });
}

test('under --json a failure is a JSON error object with the same exit code', async (t) => {
  const run = await runTlskit(['inspect', malformed('garbage.bin'), '--json']);
  t.is(run.code, ExitCode.badInput);
  const { error } = JSON.parse(run.stdout);
  t.like(error, { code: 'BAD_INPUT' });
  t.regex(error.message, /not a certificate, CSR or key/);
});

test('a CSR whose signature was tampered with is shown, with the signature INVALID', async (t) => {
  const run = await runTlskit(['inspect', malformed('bad-signature.csr.der'), '--json']);
  t.is(run.code, 0, run.stderr);
  t.like(JSON.parse(run.stdout).objects[0], { kind: 'csr', signatureValid: false });
});
