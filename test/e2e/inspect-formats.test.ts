/** inspect on the file types other areas added: DH parameters and PKCS#12. */
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesDir, makeTempDir, openssl, runTlskit } from '../helpers/index.js';

interface Inspected {
  objects: Array<Record<string, unknown> & { kind: string }>;
}

async function inspectJson(args: string[]): Promise<Inspected> {
  const result = await runTlskit(['inspect', ...args, '--json']);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Inspected;
}

test('DH parameters in PEM and DER are described and named', async (t) => {
  const dir = await makeTempDir(t);
  const pem = join(dir, 'dh.pem');
  const der = join(dir, 'dh.der');
  await openssl([
    'genpkey',
    '-genparam',
    '-algorithm',
    'DH',
    '-pkeyopt',
    'group:ffdhe3072',
    '-out',
    pem,
  ]);
  await openssl(['pkeyparam', '-in', pem, '-out', join(dir, 'plain.pem')]);
  await openssl(['dhparam', '-in', join(dir, 'plain.pem'), '-outform', 'DER', '-out', der]);
  for (const file of [join(dir, 'plain.pem'), der]) {
    const [dh] = (await inspectJson([file])).objects;
    t.is(dh?.kind, 'dh-parameters');
    t.is(dh?.bits, 3072);
    t.is(dh?.generator, '2');
    t.like(dh?.knownGroup, { name: 'ffdhe3072' });
  }
});

test('an RSA public key in PKCS#1 DER is still a public key, not DH parameters', async (t) => {
  const dir = await makeTempDir(t);
  const key = join(dir, 'rsa.pem');
  const der = join(dir, 'rsa-pub.der');
  await openssl(['genrsa', '-out', key, '2048']);
  await openssl(['rsa', '-in', key, '-RSAPublicKey_out', '-outform', 'DER', '-out', der]);
  const [object] = (await inspectJson([der])).objects;
  t.is(object?.kind, 'public-key');
});

test('a PKCS#12 file is described without a password, and opened with --passin', async (t) => {
  const file = join(fixturesDir, 'pkcs12', 'openssl.modern.p12');
  const closed = (await inspectJson([file])).objects[0];
  t.is(closed?.kind, 'pkcs12');
  t.false(closed?.decrypted);
  t.false(closed?.legacy);
  const opened = (await inspectJson([file, '--passin', 'pass:fixture-pass'])).objects[0];
  t.true(opened?.decrypted);
  t.true((opened?.certificates as unknown[]).length > 0);
  t.is((opened?.keys as unknown[]).length, 1);
});

test('a PKCS#12 file with a wrong --passin is a one-line wrong-passphrase error', async (t) => {
  const result = await runTlskit([
    'inspect',
    join(fixturesDir, 'pkcs12', 'openssl.modern.p12'),
    '--passin',
    'pass:wrong',
  ]);
  t.is(result.code, 3);
  t.regex(result.stderr, /^tlskit: .*wrong passphrase/);
  t.is(result.stderr.trimEnd().split('\n').length, 1);
});

test('an X9.42 DH PARAMETERS block (a dotted PEM label) is read', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'dhx.pem');
  const made = await openssl([
    'genpkey',
    '-genparam',
    '-algorithm',
    'DHX',
    '-pkeyopt',
    'dh_rfc5114:2',
  ]);
  await writeFile(file, made);
  const [dh] = (await inspectJson([file])).objects;
  t.is(dh?.kind, 'dh-parameters');
  t.is(dh?.format, 'x942');
});
