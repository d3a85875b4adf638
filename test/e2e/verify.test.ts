/**
 * `tlskit verify` as a user runs it: exit codes (0 OK, 1 a failed check, 3 bad input), the one
 * stderr line of a failure, the human path listing, the --json verdict (printed for failures
 * too), and Node's bundled roots when no --ca is given.
 */
import test from 'ava';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { ExitCode } from '../../src/errors.js';
import type { VerifyFilesResult } from '../../src/pki/verify/verify-files.js';
import { makeCertificate, makeChain, makeCrl, writePem } from '../helpers/chains.js';
import { makeTempDir, runOpenssl, runTlskit } from '../helpers/index.js';

const DAY_MS = 86_400_000;

async function fixture(t: Parameters<typeof makeTempDir>[0]) {
  const dir = await makeTempDir(t);
  const chain = await makeChain();
  const expired = await makeCertificate({
    subject: '/CN=expired.example.test',
    issuer: chain.intermediate,
    notBefore: new Date(Date.now() - 30 * DAY_MS),
    notAfter: new Date(Date.now() - DAY_MS),
  });
  return {
    dir,
    root: await writePem(dir, 'root.pem', chain.root),
    intermediate: await writePem(dir, 'intermediate.pem', chain.intermediate),
    leaf: await writePem(dir, 'leaf.pem', chain.leaf),
    fullchain: await writePem(dir, 'fullchain.pem', chain.leaf, chain.intermediate),
    expired: await writePem(dir, 'expired.pem', expired, chain.intermediate),
    crl: await writePem(dir, 'crl.pem', makeCrl(chain.intermediate, { revoked: [chain.leaf] })),
  };
}

test('a good chain: exit 0, the path from leaf to anchor, and OK', async (t) => {
  const files = await fixture(t);
  const result = await runTlskit(
    ['verify', '--ca', files.root, '--untrusted', files.intermediate, files.leaf],
    { cwd: files.dir },
  );
  t.is(result.code, ExitCode.ok, result.stderr);
  t.is(result.stderr, '');
  t.regex(result.stdout, /^Trust anchors: .*root\.pem \(1 certificate\)$/m);
  t.regex(result.stdout, /✓ depth 0: CN=leaf\.example\.test$/m);
  t.regex(result.stdout, /✓ depth 1: CN=Test Intermediate$/m);
  t.regex(result.stdout, /✓ depth 2: CN=Test Root \(trust anchor\)$/m);
  t.regex(result.stdout, /leaf\.pem: OK at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
  t.deepEqual(await readdir(files.dir), [
    'crl.pem',
    'expired.pem',
    'fullchain.pem',
    'intermediate.pem',
    'leaf.pem',
    'root.pem',
  ]);
});

test('a failed check: exit 1 and one stderr line with the OpenSSL name, depth and reason', async (t) => {
  const files = await fixture(t);
  const result = await runTlskit(['verify', '--ca', files.root, files.expired, '--host', 'x.test']);
  t.is(result.code, ExitCode.checkFailed);
  const lines = result.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, result.stderr);
  // The host is checked before validity, as OpenSSL orders its checks.
  t.regex(
    lines[0] ?? '',
    /^tlskit: .*expired\.pem: HOSTNAME_MISMATCH at depth 0 \(CN=expired\.example\.test\): hostname mismatch: not valid for x\.test$/,
  );
  t.regex(result.stdout, /✗ depth 0: CN=expired\.example\.test$/m);
});

test('--json prints the whole verdict, for a failure too, and exits 1', async (t) => {
  const files = await fixture(t);
  const result = await runTlskit(['verify', '--ca', files.root, files.expired, '--json']);
  t.is(result.code, ExitCode.checkFailed);
  t.is(result.stderr, '');
  const verdict = JSON.parse(result.stdout) as VerifyFilesResult;
  t.like(verdict, {
    ok: false,
    code: 'CERT_HAS_EXPIRED',
    opensslError: 10,
    depth: 0,
    subject: 'CN=expired.example.test',
    chain: ['CN=expired.example.test', 'CN=Test Intermediate', 'CN=Test Root'],
    trusted: true,
    trustAnchors: { source: 'files', files: [files.root], count: 1 },
    checked: { host: null, ip: null, purpose: null, crlCheck: null, crls: 0 },
  });
  t.regex(verdict.message, /^certificate has expired: not after /);
  t.is(verdict.certificates.length, 3);
  t.is(verdict.certificates[1]?.source, `${files.expired} #2`);
  t.regex(verdict.certificates[2]?.fingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
});

test('--json for a good chain bundled after the leaf', async (t) => {
  const files = await fixture(t);
  const result = await runTlskit([
    'verify',
    '--ca',
    files.root,
    files.fullchain,
    '--host',
    'leaf.example.test',
    '--purpose',
    'server',
    '--json',
  ]);
  t.is(result.code, ExitCode.ok, result.stdout);
  const verdict = JSON.parse(result.stdout) as VerifyFilesResult;
  t.like(verdict, {
    ok: true,
    code: 'OK',
    opensslError: 0,
    message: 'OK',
    depth: null,
    subject: null,
    checked: { host: 'leaf.example.test', purpose: 'server' },
  });
});

test('--crl alone checks the leaf against it', async (t) => {
  const files = await fixture(t);
  const result = await runTlskit([
    'verify',
    '--ca',
    files.root,
    '--crl',
    files.crl,
    files.fullchain,
  ]);
  t.is(result.code, ExitCode.checkFailed);
  t.regex(result.stderr, /CERT_REVOKED at depth 0 \(CN=leaf\.example\.test\): certificate revoked/);
  t.regex(result.stdout, /Checked: CRLs \(leaf, 1 given\)/);
});

test('--at moves the clock: a year and a half on, the root has expired first', async (t) => {
  const files = await fixture(t);
  const result = await runTlskit(['verify', '--ca', files.root, files.fullchain, '--at', '+540d']);
  t.is(result.code, ExitCode.checkFailed);
  t.regex(result.stderr, /CERT_HAS_EXPIRED at depth 2 \(CN=Test Root\)/);
});

test("without --ca, Node's bundled roots are the anchors, and the output says so", async (t) => {
  const dir = await makeTempDir(t);
  const nodeRoot = join(dir, 'node-root.pem');
  await writeFile(nodeRoot, rootCertificates[0] as string);
  const result = await runTlskit(['verify', nodeRoot]);
  t.is(result.code, ExitCode.ok, result.stderr);
  t.regex(
    result.stdout,
    new RegExp(
      `^Trust anchors: Node's bundled roots \\(${rootCertificates.length} certificates\\)$`,
      'm',
    ),
  );
  t.regex(result.stdout, / Node's bundled roots #1, valid /);

  const json = await runTlskit(['verify', nodeRoot, '--json']);
  t.like(JSON.parse(json.stdout), {
    ok: true,
    trustAnchors: { source: 'node', files: [], count: rootCertificates.length },
  });
});

test("a private chain against Node's roots: unable to get the local issuer", async (t) => {
  const files = await fixture(t);
  const result = await runTlskit(['verify', files.fullchain, '--json']);
  t.is(result.code, ExitCode.checkFailed);
  t.like(JSON.parse(result.stdout), {
    ok: false,
    code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    depth: 1,
    trusted: false,
  });
});

test('an unreadable file is bad input (exit 3), also under --json', async (t) => {
  const files = await fixture(t);
  const result = await runTlskit(['verify', join(files.dir, 'missing.pem'), '--json']);
  t.is(result.code, ExitCode.badInput);
  t.like(JSON.parse(result.stdout), { error: { code: 'BAD_INPUT' } });
  t.regex(result.stdout, /missing\.pem: no such file/);
});

test('a tlskit ca folder: its CRL revokes one leaf, for tlskit verify and openssl verify alike', async (t) => {
  const dir = await makeTempDir(t);
  const ca = join(dir, 'ca');
  const run = async (args: string[]) => {
    const result = await runTlskit(args, { cwd: dir });
    t.is(result.code, ExitCode.ok, `tlskit ${args.join(' ')}: ${result.stderr}`);
  };
  await run(['ca', 'init', ca, '--subject', '/CN=E2E CA', '--type', 'ec']);
  for (const name of ['good', 'bad']) {
    await run(['ca', 'issue', ca, '--cn', `${name}.example.test`, '--out', name]);
  }
  await run(['ca', 'revoke', ca, '--cert', join(dir, 'bad.cert.pem')]);
  await run(['ca', 'crl', ca]);
  for (const [name, code, opensslLine] of [
    ['good', 'OK', /good\.cert\.pem: OK/],
    ['bad', 'CERT_REVOKED', /error 23 at 0 depth lookup: certificate revoked/],
  ] as const) {
    const cert = join(dir, `${name}.cert.pem`);
    const caCert = join(ca, 'ca.cert.pem');
    const ours = await runTlskit([
      'verify',
      '--ca',
      caCert,
      '--crl',
      join(ca, 'crl.der'),
      cert,
      '--json',
    ]);
    t.is((JSON.parse(ours.stdout) as VerifyFilesResult).code, code);
    const theirs = await runOpenssl([
      'verify',
      '-CAfile',
      caCert,
      '-crl_check',
      '-CRLfile',
      join(ca, 'crl.pem'),
      cert,
    ]);
    t.regex(theirs.stdout + theirs.stderr, opensslLine);
  }
});
