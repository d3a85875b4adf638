import test from 'ava';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, UsageError, WrongPassphraseError } from '../../../../src/errors.js';
import { keysMatch, loadPrivateKey } from '../../../../src/pki/keys.js';
import { importPfx } from '../../../../src/pki/pkcs12/pfx-import.js';
import { fixturesDir } from '../../../helpers/index.js';

const dir = join(fixturesDir, 'pkcs12');
const file = (name: string) => join(dir, name);
const text = (name: string) => readFile(file(name), 'utf8');
const passphrase = async () => 'fixture-pass';

test('openssl.modern.p12: key, leaf and chain as the PEM openssl was given', async (t) => {
  const result = await importPfx({ path: file('openssl.modern.p12'), passphrase });
  t.is(result.keyPem, await text('openssl.leaf.key.pem'));
  t.is(result.certificatePem, await text('openssl.leaf.cert.pem'));
  t.is(result.chainPem, await text('openssl.ca.cert.pem'));
  t.like(result, {
    keyType: 'EC P-256',
    keyEncrypted: false,
    mac: 'sha256, 2048 iterations',
    legacy: false,
    certificate: { subject: 'CN=leaf.test', issuer: 'CN=Fixture CA', friendlyName: 'leaf' },
  });
  t.deepEqual(result.algorithms, ['PBES2 (hmacWithSHA256, aes-256-cbc)']);
});

test('openssl.legacy.p12: the same contents, flagged legacy', async (t) => {
  const result = await importPfx({ path: file('openssl.legacy.p12'), passphrase });
  t.is(result.keyPem, await text('openssl.leaf.key.pem'));
  t.is(result.certificatePem, await text('openssl.leaf.cert.pem'));
  t.true(result.legacy);
  t.deepEqual(result.algorithms.sort(), [
    'pbeWithSHA1And3-KeyTripleDES-CBC',
    'pbeWithSHA1And40BitRC2-CBC',
  ]);
  t.is(result.mac, 'sha1, 2048 iterations');
});

test('the extracted key can be encrypted with a new passphrase', async (t) => {
  const result = await importPfx({
    path: file('openssl.modern.p12'),
    passphrase,
    keyPassphrase: 'new-secret',
  });
  t.true(result.keyEncrypted);
  t.regex(result.keyPem ?? '', /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  const key = await loadPrivateKey(Buffer.from(result.keyPem ?? ''), {
    source: 'key.pem',
    passphrase: async () => 'new-secret',
  });
  const original = createPrivateKey(await readFile(file('openssl.leaf.key.pem')));
  t.true(keysMatch(key, original));
});

test('certificates only: no key, and the leaf is the certificate that issued nothing', async (t) => {
  const result = await importPfx({ path: file('openssl.certificates-only.p12'), passphrase });
  t.is(result.keyPem, null);
  t.is(result.keyType, null);
  t.is(result.certificatePem, await text('openssl.leaf.cert.pem'));
  t.is(result.chainPem, await text('openssl.ca.cert.pem'));
});

test('a keystore of two keys needs a name; the name picks the key and its certificate', async (t) => {
  const path = file('keytool.two-keys.p12');
  await t.throwsAsync(importPfx({ path, passphrase }), {
    instanceOf: UsageError,
    message: /holds 2 private keys/,
  });
  const second = await importPfx({ path, passphrase, friendlyName: 'second' });
  t.is(second.certificate.subject, 'CN=second.test');
  t.is(second.chainPem, null, "the other entry's certificate is not this key's chain");
  const key = createPrivateKey(second.keyPem ?? '');
  t.true(keysMatch(key, new X509Certificate(second.certificatePem).publicKey));
  await t.throwsAsync(importPfx({ path, passphrase, friendlyName: 'third' }), {
    instanceOf: InputError,
    message: /holds no key named "third"/,
  });
});

test('a wrong passphrase is a WrongPassphraseError naming the file', async (t) => {
  await t.throwsAsync(
    importPfx({ path: file('openssl.legacy.p12'), passphrase: async () => 'nope' }),
    {
      instanceOf: WrongPassphraseError,
      message: /openssl\.legacy\.p12 \(the MAC does not verify\)$/,
    },
  );
});
