/**
 * PKCS#12 both ways against the real openssl: openssl opens the files we write (and prints the
 * algorithms we claim), and we import the files `openssl pkcs12 -export` writes today, with and
 * without -legacy, recovering the same key and certificates.
 */
import test, { type ExecutionContext } from 'ava';
import { createPrivateKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem, encodePem } from '../../src/io/pem.js';
import { encodePrivateKey, keysMatch } from '../../src/pki/keys.js';
import { exportPfx, type PfxFormat } from '../../src/pki/pkcs12/pfx-export.js';
import { importPfx } from '../../src/pki/pkcs12/pfx-import.js';
import { makeChain, type TestChain } from '../helpers/chains.js';
import { makeTempDir, openssl, runOpenssl } from '../helpers/index.js';

const PASS = 'interop-pass';
/** Spaces and non-ASCII: PBKDF2 must get UTF-8 and the PKCS#12 KDF a BMPString, on both sides. */
const NON_ASCII_PASS = 'correct horse – bättery staple';

interface Files {
  dir: string;
  chain: TestChain;
  key: string;
  cert: string;
  intermediate: string;
  root: string;
}

/** A root, an intermediate and a leaf, written as PEM files. */
async function setUp(t: ExecutionContext): Promise<Files> {
  const dir = await makeTempDir(t);
  const chain = await makeChain();
  const files = {
    dir,
    chain,
    key: join(dir, 'leaf.key'),
    cert: join(dir, 'leaf.pem'),
    intermediate: join(dir, 'intermediate.pem'),
    root: join(dir, 'root.pem'),
  };
  await writeFile(files.key, encodePrivateKey(chain.leaf.key, { format: 'pem' }));
  await writeFile(files.cert, chain.leaf.pem);
  await writeFile(files.intermediate, chain.intermediate.pem);
  await writeFile(files.root, chain.root.pem);
  return files;
}

async function ourPfx(files: Files, format: PfxFormat, passphrase = PASS): Promise<string> {
  const result = await exportPfx({
    keyPath: files.key,
    certificatePath: files.cert,
    chainPaths: [files.intermediate, files.root],
    passphrase: async () => passphrase,
    friendlyName: 'web',
    format,
  });
  const path = join(files.dir, `ours.${format}.p12`);
  await writeFile(path, result.der);
  return path;
}

/** The PEM blocks of openssl's output: the key and certificates it decrypted. */
function blocksOf(output: string): { keys: Buffer[]; certificates: Buffer[] } {
  const blocks = decodePem(output);
  return {
    keys: blocks.filter((block) => block.label === 'PRIVATE KEY').map((block) => block.der),
    certificates: blocks.filter((block) => block.label === 'CERTIFICATE').map((block) => block.der),
  };
}

function expectContents(t: ExecutionContext, output: string, files: Files): void {
  const { keys, certificates } = blocksOf(output);
  t.deepEqual(keys, [files.chain.leaf.key.export({ type: 'pkcs8', format: 'der' })]);
  t.deepEqual(certificates, [
    files.chain.leaf.der,
    files.chain.intermediate.der,
    files.chain.root.der,
  ]);
}

// ---- openssl reads ours ---------------------------------------------------------------------

test('openssl pkcs12 -info opens our modern file and prints PBES2, AES-256-CBC, SHA-256 MAC', async (t) => {
  const files = await setUp(t);
  const path = await ourPfx(files, 'modern');
  const result = await runOpenssl([
    'pkcs12',
    '-info',
    '-in',
    path,
    '-passin',
    `pass:${PASS}`,
    '-noenc',
  ]);
  t.is(result.code, 0, result.stderr);
  // openssl prints the algorithms on stderr and the contents on stdout.
  t.regex(result.stderr, /^MAC: sha256, Iteration 2048$/m);
  t.regex(
    result.stderr,
    /^PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256$/m,
  );
  t.regex(
    result.stderr,
    /^Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256$/m,
  );
  t.regex(result.stdout, /friendlyName: web/);
  t.regex(result.stdout, /localKeyID: ([0-9A-F]{2} ){20}/);
  expectContents(t, result.stdout, files);
});

test('openssl needs -legacy for our legacy file, and then prints 3DES, RC2-40 and a SHA-1 MAC', async (t) => {
  const files = await setUp(t);
  const path = await ourPfx(files, 'legacy');
  const plain = await runOpenssl([
    'pkcs12',
    '-info',
    '-in',
    path,
    '-passin',
    `pass:${PASS}`,
    '-noenc',
  ]);
  t.not(plain.code, 0, 'OpenSSL 3 without -legacy cannot decrypt RC2');
  const result = await runOpenssl([
    'pkcs12',
    '-legacy',
    '-info',
    '-in',
    path,
    '-passin',
    `pass:${PASS}`,
    '-noenc',
  ]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /^MAC: sha1, Iteration 2048$/m);
  t.regex(result.stderr, /^PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 2048$/m);
  t.regex(result.stderr, /^Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048$/m);
  expectContents(t, result.stdout, files);
});

test('our legacy file with 3DES certificates opens without -legacy', async (t) => {
  const files = await setUp(t);
  const path = await ourPfx(files, 'legacy-3des');
  const result = await runOpenssl([
    'pkcs12',
    '-info',
    '-in',
    path,
    '-passin',
    `pass:${PASS}`,
    '-noenc',
  ]);
  t.is(result.code, 0, result.stderr);
  t.regex(
    result.stderr,
    /^PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048$/m,
  );
  expectContents(t, result.stdout, files);
});

for (const format of ['modern', 'legacy'] as const) {
  test(`a non-ASCII passphrase opens our ${format} file in openssl`, async (t) => {
    const files = await setUp(t);
    const path = await ourPfx(files, format, NON_ASCII_PASS);
    const output = await openssl([
      'pkcs12',
      '-legacy',
      '-in',
      path,
      '-passin',
      `pass:${NON_ASCII_PASS}`,
      '-noenc',
    ]);
    expectContents(t, output, files);
  });
}

test('openssl opens our password-less file with an empty passphrase', async (t) => {
  const files = await setUp(t);
  const path = await ourPfx(files, 'modern', '');
  const output = await openssl(['pkcs12', '-in', path, '-passin', 'pass:', '-noenc']);
  expectContents(t, output, files);
});

test('a wrong passphrase fails openssl too (the check above could fail)', async (t) => {
  const files = await setUp(t);
  const path = await ourPfx(files, 'modern');
  const result = await runOpenssl([
    'pkcs12',
    '-info',
    '-in',
    path,
    '-passin',
    'pass:wrong',
    '-noenc',
  ]);
  t.not(result.code, 0);
  t.regex(result.stderr, /Mac verify error/);
});

// ---- we read openssl's ----------------------------------------------------------------------

for (const legacy of [false, true]) {
  const flags = legacy ? ['-legacy'] : [];
  test(`we import what openssl pkcs12 -export ${flags.join(' ')} writes: same key, same certificates`, async (t) => {
    const files = await setUp(t);
    const path = join(files.dir, 'openssl.p12');
    // The chain in the "wrong" order (root first): the import orders it from the leaf up.
    const bundle = join(files.dir, 'bundle.pem');
    await writeFile(bundle, files.chain.root.pem + files.chain.intermediate.pem);
    await openssl([
      'pkcs12',
      '-export',
      ...flags,
      '-inkey',
      files.key,
      '-in',
      files.cert,
      '-certfile',
      bundle,
      '-name',
      'from-openssl',
      '-passout',
      `pass:${NON_ASCII_PASS}`,
      '-out',
      path,
    ]);
    const imported = await importPfx({ path, passphrase: async () => NON_ASCII_PASS });
    const key = createPrivateKey(imported.keyPem ?? '');
    t.true(keysMatch(key, files.chain.leaf.key));
    t.deepEqual(
      key.export({ type: 'pkcs8', format: 'der' }),
      files.chain.leaf.key.export({ type: 'pkcs8', format: 'der' }),
    );
    t.is(imported.certificatePem, files.chain.leaf.pem);
    t.is(imported.chainPem, files.chain.intermediate.pem + files.chain.root.pem);
    t.is(imported.certificate.friendlyName, 'from-openssl');
    t.is(imported.legacy, legacy);
  });
}

test('round trip: our file, imported, gives back the key and certificates byte for byte', async (t) => {
  const files = await setUp(t);
  for (const format of ['modern', 'legacy', 'legacy-3des'] as const) {
    const imported = await importPfx({
      path: await ourPfx(files, format),
      passphrase: async () => PASS,
    });
    t.is(
      imported.keyPem,
      encodePem('PRIVATE KEY', files.chain.leaf.key.export({ type: 'pkcs8', format: 'der' })),
    );
    t.is(imported.certificatePem, files.chain.leaf.pem);
    t.is(imported.chainPem, files.chain.intermediate.pem + files.chain.root.pem);
  }
  t.is(await readFile(files.cert, 'utf8'), files.chain.leaf.pem);
});
