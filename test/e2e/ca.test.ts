/*
 * `tlskit ca` as a user runs it: argv in, exit code, the lines said, JSON shapes, files and modes.
 * Standard input and output are pipes here, never a terminal.
 */
import test, { type ExecutionContext } from 'ava';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { makeTempDir, runTlskit, type RunResult } from '../helpers/index.js';

const NEW_CA_KEYS = [
  'ca',
  'crlUrls',
  'encrypted',
  'files',
  'fingerprint256',
  'issuer',
  'key',
  'nameConstraints',
  'notAfter',
  'notBefore',
  'ocspUrls',
  'pathLength',
  'serial',
  'signatureAlgorithm',
  'subject',
];
const ISSUE_KEYS = [
  'ca',
  'files',
  'fingerprint256',
  'issuer',
  'keyGenerated',
  'notAfter',
  'notBefore',
  'profile',
  'recorded',
  'sans',
  'serial',
  'signatureAlgorithm',
  'subject',
];

/** Runs tlskit in `cwd`; JSON output when `--json` is among the args. */
async function run(cwd: string, args: string[]): Promise<RunResult> {
  return runTlskit(args, { cwd });
}

function json<T>(t: ExecutionContext, result: RunResult, keys?: string[]): T {
  t.is(result.code, 0, result.stderr);
  t.is(result.stderr, '');
  const parsed = JSON.parse(result.stdout) as T;
  if (keys) t.deepEqual(Object.keys(parsed as object).sort(), keys);
  return parsed;
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

test('init, issue, revoke, crl and list, in mkcert’s voice', async (t) => {
  const dir = await makeTempDir(t);
  const init = await run(dir, ['ca', 'init', 'ca', '--permit', 'DNS:.example.test']);
  t.is(init.code, 0, init.stderr);
  t.is(init.stderr, '');
  const initLines = init.stdout.trimEnd().split('\n');
  t.deepEqual(initLines.slice(0, 5), [
    'Created a new root CA "CN=tlskit Root CA" 🏛',
    '  EC P-256 key, ecdsa-with-SHA256',
    '  path length: unlimited',
    '  permitted names: DNS:.example.test',
    '  → ca/',
  ]);
  t.regex(initLines[5] ?? '', /^It will expire on \d{1,2} \w+ \d{4} 🗓$/);
  t.is(initLines[6], 'Issue certificates with: tlskit ca issue ca --cn NAME');

  const issue = await run(dir, [
    'ca',
    'issue',
    'ca',
    '--cn',
    'www.example.test',
    '--san',
    'www.example.test',
    '--san',
    '127.0.0.1',
  ]);
  t.is(issue.code, 0, issue.stderr);
  const issueLines = issue.stdout.trimEnd().split('\n');
  t.is(issueLines[0], 'Created a new server certificate valid for: www.example.test, 127.0.0.1 📜');
  t.regex(issueLines[1] ?? '', /^ {2}signed by "CN=tlskit Root CA", serial [0-9A-F]+$/);
  t.deepEqual(issueLines.slice(2, 6), [
    '  → www.example.test.cert.pem',
    '  → www.example.test.key.pem',
    '  → www.example.test.chain.pem',
    '  → www.example.test.fullchain.pem',
  ]);
  t.regex(issueLines[6] ?? '', /^It will expire on .* 🗓$/);
  t.is(await modeOf(join(dir, 'www.example.test.key.pem')), 0o600);
  t.is(await modeOf(join(dir, 'www.example.test.cert.pem')), 0o644);
  const serial = /serial ([0-9A-F]+)/.exec(issueLines[1] ?? '')?.[1] ?? '';

  const revoke = await run(dir, ['ca', 'revoke', 'ca', serial, '--reason', 'keycompromise']);
  t.is(revoke.code, 0, revoke.stderr);
  t.deepEqual(revoke.stdout.trimEnd().split('\n'), [
    `Revoked certificate ${serial} (keyCompromise) ⛔`,
    '  /CN=www.example.test',
    'Publish a new CRL with: tlskit ca crl ca',
  ]);

  const crl = await run(dir, ['ca', 'crl', 'ca']);
  t.is(crl.code, 0, crl.stderr);
  const crlLines = crl.stdout.trimEnd().split('\n');
  t.deepEqual(crlLines.slice(0, 3), [
    'Published CRL number 1 listing 1 revoked certificate 📋',
    '  → ca/crl.pem',
    '  → ca/crl.der',
  ]);

  const list = await run(dir, ['ca', 'list', 'ca']);
  t.is(list.code, 0, list.stderr);
  const listLines = list.stdout.trimEnd().split('\n');
  t.is(listLines[0], 'CN=tlskit Root CA: 1 certificate issued');
  t.regex(listLines[1] ?? '', /^SERIAL +STATUS {3}EXPIRES {5}SUBJECT$/);
  t.regex(
    listLines[2] ?? '',
    new RegExp(
      `^${serial} +revoked  \\d{4}-\\d\\d-\\d\\d  /CN=www\\.example\\.test \\(keyCompromise\\)$`,
    ),
  );
});

test('--json results have stable names', async (t) => {
  const dir = await makeTempDir(t);
  const init = json<{ files: string[]; key: object; nameConstraints: object }>(
    t,
    await run(dir, [
      'ca',
      'init',
      'root',
      '--crl-url',
      'http://ca.example.test/root.crl',
      '--json',
    ]),
    NEW_CA_KEYS,
  );
  t.deepEqual(init.key, { type: 'ec', bits: 256, curve: 'P-256' });
  t.deepEqual(init.nameConstraints, { permitted: [], excluded: [] });
  t.deepEqual(init.files.map((file) => file.replace('root/', '')).sort(), [
    'ca.cert.pem',
    'ca.key.pem',
    'chain.pem',
    'crlnumber',
    'index.txt',
    'index.txt.attr',
    'openssl.cnf',
    'serial',
    'tlskit-ca.json',
  ]);
  const inter = json<{ issuer: string; pathLength: number; crlUrls: string[] }>(
    t,
    await run(dir, ['ca', 'intermediate', 'inter', '--parent', 'root', '--json']),
    NEW_CA_KEYS,
  );
  t.is(inter.issuer, 'CN=tlskit Root CA');
  t.is(inter.pathLength, 0);
  t.deepEqual(inter.crlUrls, [], "its own CRL URLs, not its parent's");
  const issued = json<{
    files: Record<string, string | null>;
    keyGenerated: boolean;
    sans: string[];
  }>(
    t,
    await run(dir, ['ca', 'issue', 'inter', '--san', 'api.example.test', '--out', 'api', '--json']),
    ISSUE_KEYS,
  );
  t.deepEqual(issued.files, {
    certificate: 'api.cert.pem',
    key: 'api.key.pem',
    chain: 'api.chain.pem',
    fullchain: 'api.fullchain.pem',
  });
  t.deepEqual(issued.sans, ['DNS:api.example.test']);
  const revoked = json<Record<string, unknown>>(
    t,
    await run(dir, ['ca', 'revoke', 'inter', '--cert', 'api.cert.pem', '--json']),
    ['action', 'ca', 'reason', 'revokedAt', 'serial', 'subject', 'warnings'],
  );
  t.is(revoked.reason, null);
  const crl = json<{ revoked: object[] }>(
    t,
    await run(dir, ['ca', 'crl', 'inter', '--out', 'inter.crl', '--json']),
    ['ca', 'crlNumber', 'files', 'nextUpdate', 'revoked', 'signatureAlgorithm', 'thisUpdate'],
  );
  t.deepEqual(Object.keys(crl.revoked[0] ?? {}).sort(), ['reason', 'revokedAt', 'serial']);
  t.regex(await readFile(join(dir, 'inter.crl'), 'utf8'), /BEGIN X509 CRL/);
  const list = json<{ certificates: object[] }>(
    t,
    await run(dir, ['ca', 'list', 'root', '--json']),
    ['ca', 'certificates', 'subject'],
  );
  t.deepEqual(Object.keys(list.certificates[0] ?? {}).sort(), [
    'notAfter',
    'reason',
    'revokedAt',
    'serial',
    'status',
    'subject',
  ]);
});

test('an encrypted CA: --passout at init, --passin afterwards, a clear line without it', async (t) => {
  const dir = await makeTempDir(t);
  const init = await run(dir, ['ca', 'init', 'ca', '--passout', 'pass:ca-secret', '--type', 'rsa']);
  t.is(init.code, 0, init.stderr);
  t.regex(init.stdout, /RSA 2048-bit key \(encrypted\), sha256WithRSAEncryption/);
  t.regex(await readFile(join(dir, 'ca', 'ca.key.pem'), 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
  const without = await run(dir, ['ca', 'issue', 'ca', '--cn', 'x.example.test', '--out', 'x']);
  t.is(without.code, ExitCode.usage);
  t.regex(
    without.stderr,
    /^tlskit: passphrase for ca\/ca\.key\.pem is needed, but standard input is not a terminal \(give it with --passin/,
  );
  const wrong = await run(dir, [
    'ca',
    'issue',
    'ca',
    '--cn',
    'x.example.test',
    '--out',
    'x',
    '--passin',
    'pass:nope',
  ]);
  t.is(wrong.code, ExitCode.badInput);
  t.is(wrong.stderr, 'tlskit: wrong passphrase for ca/ca.key.pem\n');
  t.deepEqual((await readdir(dir)).sort(), ['ca']);
  const right = await run(dir, [
    'ca',
    'issue',
    'ca',
    '--cn',
    'x.example.test',
    '--out',
    'x',
    '--passin',
    'pass:ca-secret',
  ]);
  t.is(right.code, 0, right.stderr);
  const encryptedWithoutTty = await run(dir, ['ca', 'init', 'other', '--encrypt']);
  t.is(encryptedWithoutTty.code, ExitCode.usage);
  t.regex(encryptedWithoutTty.stderr, /--passout/);
  t.false((await readdir(dir)).includes('other'));
});

test('a new key for the leaf can be encrypted too, and key flags are checked', async (t) => {
  const dir = await makeTempDir(t);
  t.is((await run(dir, ['ca', 'init', 'ca', '--type', 'ed25519'])).code, 0);
  const issued = await run(dir, [
    'ca',
    'issue',
    'ca',
    '--cn',
    'e.example.test',
    '--type',
    'ec',
    '--curve',
    'P-384',
    '--passout',
    'pass:leaf-pass',
    '--out',
    'e',
  ]);
  t.is(issued.code, 0, issued.stderr);
  t.regex(await readFile(join(dir, 'e.key.pem'), 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
  const mixed = await run(dir, [
    'ca',
    'issue',
    'ca',
    '--cn',
    'f.example.test',
    '--type',
    'ed25519',
    '--bits',
    '2048',
    '--out',
    'f',
  ]);
  t.is(mixed.code, ExitCode.usage);
  t.is(mixed.stderr, 'tlskit: --bits applies to RSA keys, not ed25519 (drop --bits)\n');
  const both = await run(dir, ['ca', 'issue', 'ca', '--csr', 'x.csr', '--cn', 'f.example.test']);
  t.is(both.code, ExitCode.usage);
  t.regex(both.stderr, /^tlskit: .*--cn.*--csr|^tlskit: .*--csr.*--cn/);
});
