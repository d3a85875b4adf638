import test from 'ava';
import { createPrivateKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../../src/errors.js';
import { encodePrivateKey } from '../../../../src/pki/keys.js';
import { exportPfx } from '../../../../src/pki/pkcs12/pfx-export.js';
import { readPfx } from '../../../../src/pki/pkcs12/pfx-read.js';
import { fixturesDir, makeTempDir } from '../../../helpers/index.js';

const dir = join(fixturesDir, 'pkcs12');
const file = (name: string) => join(dir, name);
const newPassphrase = async () => 'pass-1234';

test('bundles key, certificate and chain; names it after the CN; reports the algorithms', async (t) => {
  const result = await exportPfx({
    keyPath: file('openssl.leaf.key.pem'),
    certificatePath: file('openssl.leaf.cert.pem'),
    chainPaths: [file('openssl.ca.cert.pem')],
    passphrase: newPassphrase,
  });
  t.like(result, {
    format: 'modern',
    keyType: 'EC P-256',
    friendlyName: 'leaf.test',
    certificate: { subject: 'CN=leaf.test' },
    keyEncryption: 'PBES2, PBKDF2 with hmacWithSHA256, aes-256-cbc, 2048 iterations',
    certificateEncryption: 'PBES2, PBKDF2 with hmacWithSHA256, aes-256-cbc, 2048 iterations',
    mac: 'HMAC-SHA256, 2048 iterations',
    nodeCanLoad: true,
    unprotected: false,
  });
  t.deepEqual(
    result.chain.map((certificate) => certificate.subject),
    ['CN=Fixture CA'],
  );
  t.regex(result.localKeyId, /^[0-9a-f]{40}$/);
  const contents = await readPfx(result.der, { source: 'x.p12', passphrase: newPassphrase });
  t.is(contents.certificates.length, 2);
});

test('legacy formats say what they are and whether Node can load them', async (t) => {
  const options = {
    keyPath: file('openssl.leaf.key.pem'),
    certificatePath: file('openssl.leaf.cert.pem'),
    passphrase: newPassphrase,
  };
  t.like(await exportPfx({ ...options, format: 'legacy' }), {
    keyEncryption: 'pbeWithSHA1And3-KeyTripleDES-CBC, 2048 iterations',
    certificateEncryption: 'pbeWithSHA1And40BitRC2-CBC, 2048 iterations',
    mac: 'HMAC-SHA1, 2048 iterations',
    nodeCanLoad: false,
  });
  t.like(await exportPfx({ ...options, format: 'legacy-3des' }), {
    certificateEncryption: 'pbeWithSHA1And3-KeyTripleDES-CBC, 2048 iterations',
    nodeCanLoad: true,
  });
});

test('a key that does not match the certificate is an InputError, before any passphrase', async (t) => {
  let asked = false;
  await t.throwsAsync(
    exportPfx({
      keyPath: file('openssl.leaf.key.pem'),
      certificatePath: file('openssl.rsa.cert.pem'),
      passphrase: async () => {
        asked = true;
        return 'pass-1234';
      },
    }),
    {
      instanceOf: InputError,
      message: /openssl\.leaf\.key\.pem does not match .*openssl\.rsa\.cert\.pem$/,
    },
  );
  t.false(asked);
});

test('a file with the whole chain as --cert: the matching certificate is the leaf', async (t) => {
  const temp = await makeTempDir(t);
  const fullchain = join(temp, 'fullchain.pem');
  await writeFile(
    fullchain,
    (await readFile(file('openssl.ca.cert.pem'), 'utf8')) +
      (await readFile(file('openssl.leaf.cert.pem'), 'utf8')),
  );
  const result = await exportPfx({
    keyPath: file('openssl.leaf.key.pem'),
    certificatePath: fullchain,
    // The same CA again, and the leaf: duplicates are dropped.
    chainPaths: [file('openssl.ca.cert.pem'), file('openssl.leaf.cert.pem')],
    passphrase: newPassphrase,
    friendlyName: 'web',
  });
  t.is(result.certificate.subject, 'CN=leaf.test');
  t.deepEqual(
    result.chain.map((certificate) => certificate.subject),
    ['CN=Fixture CA'],
  );
  t.is(result.friendlyName, 'web');
});

test('an encrypted key is opened with its own passphrase', async (t) => {
  const temp = await makeTempDir(t);
  const keyPath = join(temp, 'key.pem');
  const key = createPrivateKey(await readFile(file('openssl.leaf.key.pem')));
  await writeFile(keyPath, encodePrivateKey(key, { format: 'pem', passphrase: 'key-pass' }));
  const result = await exportPfx({
    keyPath,
    certificatePath: file('openssl.leaf.cert.pem'),
    keyPassphrase: async () => 'key-pass',
    passphrase: newPassphrase,
  });
  t.is(result.keyType, 'EC P-256');
});

test('an empty passphrase makes an unprotected file', async (t) => {
  const result = await exportPfx({
    keyPath: file('openssl.leaf.key.pem'),
    certificatePath: file('openssl.leaf.cert.pem'),
    passphrase: async () => '',
  });
  t.true(result.unprotected);
  const contents = await readPfx(result.der, { source: 'x.p12', passphrase: async () => '' });
  t.is(contents.keys.length, 1);
});

test('a certificate file without certificates is an InputError', async (t) => {
  await t.throwsAsync(
    exportPfx({
      keyPath: file('openssl.leaf.key.pem'),
      certificatePath: file('openssl.leaf.key.pem'),
      passphrase: newPassphrase,
    }),
    { instanceOf: InputError, message: /openssl\.leaf\.key\.pem holds no certificate/ },
  );
});
