import test, { type ExecutionContext } from 'ava';
import { createPrivateKey } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePrivateKey, keysMatch } from '../../src/pki/keys.js';
import { makeChain, type TestChain } from '../helpers/chains.js';
import { makeTempDir, openssl, runTlskit } from '../helpers/index.js';

/*
 * `tlskit pfx export` and `tlskit pfx import` as a user runs them: argv in, exit code, stderr,
 * files and modes out. Standard input is a pipe, never a terminal, so nothing prompts.
 */

const PASS = 'pass:e2e-secret';

interface Workspace {
  dir: string;
  chain: TestChain;
}

/** A folder with leaf.key, leaf.pem, intermediate.pem and root.pem. */
async function workspace(t: ExecutionContext): Promise<Workspace> {
  const dir = await makeTempDir(t);
  const chain = await makeChain();
  await writeFile(join(dir, 'leaf.key'), encodePrivateKey(chain.leaf.key, { format: 'pem' }));
  await writeFile(join(dir, 'leaf.pem'), chain.leaf.pem);
  await writeFile(join(dir, 'intermediate.pem'), chain.intermediate.pem);
  await writeFile(join(dir, 'root.pem'), chain.root.pem);
  return { dir, chain };
}

const exportArgs = (...extra: string[]) => [
  'pfx',
  'export',
  '--key',
  'leaf.key',
  '--cert',
  'leaf.pem',
  '--chain',
  'intermediate.pem',
  '--chain',
  'root.pem',
  '--out',
  'out.p12',
  ...extra,
];

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

test('export then import gives back the key and the certificates byte for byte', async (t) => {
  const { dir, chain } = await workspace(t);
  const exported = await runTlskit(exportArgs('--passout', PASS), { cwd: dir });
  t.is(exported.code, 0, exported.stderr);
  t.is(await modeOf(join(dir, 'out.p12')), 0o600);
  t.deepEqual(exported.stdout.trimEnd().split('\n'), [
    'Created a PKCS#12 file for "CN=leaf.example.test" 🔐',
    '  key: EC P-256, friendly name "leaf.example.test"',
    '  chain: 2 more certificates',
    '  key encryption: PBES2, PBKDF2 with hmacWithSHA256, aes-256-cbc, 2048 iterations',
    '  certificate encryption: PBES2, PBKDF2 with hmacWithSHA256, aes-256-cbc, 2048 iterations',
    '  MAC: HMAC-SHA256, 2048 iterations',
    '  → out.p12',
  ]);
  const imported = await runTlskit(
    [
      'pfx',
      'import',
      'out.p12',
      '--passin',
      PASS,
      '--out-key',
      'k.pem',
      '--out-cert',
      'c.pem',
      '--out-chain',
      'ch.pem',
    ],
    { cwd: dir },
  );
  t.is(imported.code, 0, imported.stderr);
  t.is(imported.stderr, '');
  const key = createPrivateKey(await readFile(join(dir, 'k.pem')));
  t.deepEqual(
    key.export({ type: 'pkcs8', format: 'der' }),
    chain.leaf.key.export({ type: 'pkcs8', format: 'der' }),
  );
  t.is(await readFile(join(dir, 'c.pem'), 'utf8'), chain.leaf.pem);
  t.is(await readFile(join(dir, 'ch.pem'), 'utf8'), chain.intermediate.pem + chain.root.pem);
  t.is(await modeOf(join(dir, 'k.pem')), 0o600);
  t.is(await modeOf(join(dir, 'c.pem')), 0o644);
  t.regex(
    imported.stdout,
    /^Read out\.p12 \(PBES2 \(hmacWithSHA256, aes-256-cbc\); MAC sha256, 2048 iterations\) 📦$/m,
  );
});

test('--legacy says what it wrote, and the import reads it without any flag', async (t) => {
  const { dir, chain } = await workspace(t);
  const exported = await runTlskit(exportArgs('--passout', PASS, '--legacy', '--name', 'old'), {
    cwd: dir,
  });
  t.is(exported.code, 0, exported.stderr);
  t.regex(exported.stdout, /key encryption: pbeWithSHA1And3-KeyTripleDES-CBC, 2048 iterations/);
  t.regex(exported.stdout, /certificate encryption: pbeWithSHA1And40BitRC2-CBC, 2048 iterations/);
  t.regex(exported.stdout, /MAC: HMAC-SHA1/);
  t.regex(
    exported.stdout,
    /Legacy algorithms, for old Java and Windows and Apple's Keychain: OpenSSL 3 needs -legacy to read it, and Node cannot load it\./,
  );
  const imported = await runTlskit(
    [
      'pfx',
      'import',
      'out.p12',
      '--passin',
      PASS,
      '--out-key',
      'k.pem',
      '--out-cert',
      'c.pem',
      '--json',
    ],
    { cwd: dir },
  );
  t.is(imported.code, 0, imported.stderr);
  const json = JSON.parse(imported.stdout) as Record<string, unknown>;
  t.deepEqual(Object.keys(json).sort(), [
    'algorithms',
    'certificate',
    'certificateFile',
    'chain',
    'chainFile',
    'file',
    'keyEncrypted',
    'keyFile',
    'keyType',
    'legacy',
    'mac',
    'otherBags',
  ]);
  t.like(json, {
    legacy: true,
    mac: 'sha1, 2048 iterations',
    keyFile: 'k.pem',
    chainFile: null,
    certificate: { subject: 'CN=leaf.example.test', friendlyName: 'old' },
  });
  t.is((json.chain as unknown[]).length, 2);
  t.is(await readFile(join(dir, 'c.pem'), 'utf8'), chain.leaf.pem);
});

test('--legacy --cert-cipher 3des opens in openssl without -legacy', async (t) => {
  const { dir } = await workspace(t);
  const exported = await runTlskit(
    exportArgs('--passout', PASS, '--legacy', '--cert-cipher', '3des'),
    { cwd: dir },
  );
  t.is(exported.code, 0, exported.stderr);
  t.regex(exported.stdout, /OpenSSL 3 and Node read it too\./);
  await openssl([
    'pkcs12',
    '-in',
    join(dir, 'out.p12'),
    '-passin',
    PASS,
    '-noenc',
    '-out',
    join(dir, 'all.pem'),
  ]);
  t.pass();
});

test('--json: the export result, with the file', async (t) => {
  const { dir } = await workspace(t);
  const result = await runTlskit(exportArgs('--passout', PASS, '--json'), { cwd: dir });
  t.is(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout) as Record<string, unknown>;
  t.deepEqual(Object.keys(json).sort(), [
    'certificate',
    'certificateEncryption',
    'chain',
    'file',
    'format',
    'friendlyName',
    'keyEncryption',
    'keyType',
    'localKeyId',
    'mac',
    'nodeCanLoad',
    'unprotected',
  ]);
  t.like(json, { file: 'out.p12', format: 'modern', nodeCanLoad: true, unprotected: false });
});

test('no passphrase and no terminal: a usage error, and no file', async (t) => {
  const { dir } = await workspace(t);
  const result = await runTlskit(exportArgs(), { cwd: dir });
  t.is(result.code, 2);
  t.regex(
    result.stderr,
    /^tlskit: passphrase for the PKCS#12 file is needed, but standard input is not a terminal \(give it with --passout/,
  );
  t.false((await readdir(dir)).includes('out.p12'));
});

test('--no-password needs --insecure; with it, an unprotected file that imports with an empty passphrase', async (t) => {
  const { dir, chain } = await workspace(t);
  const refused = await runTlskit(exportArgs('--no-password'), { cwd: dir });
  t.is(refused.code, 4);
  t.regex(refused.stderr, /anyone with the file can read the private key \(add --insecure/);
  const made = await runTlskit(exportArgs('--no-password', '--insecure'), { cwd: dir });
  t.is(made.code, 0, made.stderr);
  t.regex(made.stdout, /No password: anyone with this file can read the private key\./);
  const imported = await runTlskit(
    ['pfx', 'import', 'out.p12', '--passin', 'pass:', '--out-key', 'k.pem', '--out-cert', 'c.pem'],
    { cwd: dir },
  );
  t.is(imported.code, 0, imported.stderr);
  t.true(keysMatch(createPrivateKey(await readFile(join(dir, 'k.pem'))), chain.leaf.key));
});

test('import --passout encrypts the extracted key', async (t) => {
  const { dir, chain } = await workspace(t);
  t.is((await runTlskit(exportArgs('--passout', PASS), { cwd: dir })).code, 0);
  const result = await runTlskit(
    [
      'pfx',
      'import',
      'out.p12',
      '--passin',
      PASS,
      '--out-key',
      'k.pem',
      '--passout',
      'pass:new-secret',
      '--out-cert',
      'c.pem',
    ],
    { cwd: dir },
  );
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /key: EC P-256 \(encrypted\) → k\.pem/);
  const pem = await readFile(join(dir, 'k.pem'), 'utf8');
  t.regex(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  t.true(keysMatch(createPrivateKey({ key: pem, passphrase: 'new-secret' }), chain.leaf.key));
});

test('import without --out-key writes the certificates and says where the key went', async (t) => {
  const { dir } = await workspace(t);
  t.is((await runTlskit(exportArgs('--passout', PASS), { cwd: dir })).code, 0);
  const result = await runTlskit(
    ['pfx', 'import', 'out.p12', '--passin', PASS, '--out-cert', 'c.pem'],
    { cwd: dir },
  );
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /key: EC P-256 not written \(use --out-key FILE\)/);
  t.regex(result.stdout, /chain: 2 certificates not written \(use --out-chain FILE\)/);
  t.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.pem')).sort(), [
    'c.pem',
    'intermediate.pem',
    'leaf.pem',
    'root.pem',
  ]);
});

test('existing outputs are never overwritten without --force', async (t) => {
  const { dir } = await workspace(t);
  t.is((await runTlskit(exportArgs('--passout', PASS), { cwd: dir })).code, 0);
  const before = await readFile(join(dir, 'out.p12'));
  const again = await runTlskit(exportArgs('--passout', PASS), { cwd: dir });
  t.is(again.code, 4);
  t.regex(again.stderr, /^tlskit: out\.p12 already exists \(use --force to overwrite\)\n$/);
  t.deepEqual(await readFile(join(dir, 'out.p12')), before);
  const forced = await runTlskit(exportArgs('--passout', PASS, '--force'), { cwd: dir });
  t.is(forced.code, 0, forced.stderr);
  t.notDeepEqual(await readFile(join(dir, 'out.p12')), before, 'fresh salts make new bytes');

  await writeFile(join(dir, 'c.pem'), 'keep me');
  const imported = await runTlskit(
    ['pfx', 'import', 'out.p12', '--passin', PASS, '--out-key', 'k.pem', '--out-cert', 'c.pem'],
    { cwd: dir },
  );
  t.is(imported.code, 4);
  t.is(await readFile(join(dir, 'c.pem'), 'utf8'), 'keep me');
  t.false((await readdir(dir)).includes('k.pem'), 'no partial output');
});

test('import reads an openssl -legacy file that OpenSSL 3 itself needs -legacy for', async (t) => {
  const { dir, chain } = await workspace(t);
  await openssl([
    'pkcs12',
    '-export',
    '-legacy',
    '-inkey',
    join(dir, 'leaf.key'),
    '-in',
    join(dir, 'leaf.pem'),
    '-passout',
    PASS,
    '-out',
    join(dir, 'legacy.p12'),
  ]);
  const result = await runTlskit(
    ['pfx', 'import', 'legacy.p12', '--passin', PASS, '--out-key', 'k.pem', '--out-cert', 'c.pem'],
    { cwd: dir },
  );
  t.is(result.code, 0, result.stderr);
  t.regex(
    result.stdout,
    /\(legacy; pbeWithSHA1And3-KeyTripleDES-CBC, pbeWithSHA1And40BitRC2-CBC; MAC sha1, 2048 iterations\)/,
  );
  t.is(await readFile(join(dir, 'c.pem'), 'utf8'), chain.leaf.pem);
});
