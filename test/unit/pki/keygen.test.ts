import test from 'ava';
import { createHash } from 'node:crypto';
import { RefusedError, UsageError } from '../../../src/errors.js';
import { keygen, type KeygenOptions } from '../../../src/pki/keygen.js';
import {
  describeKey,
  encodePublicKey,
  keysMatch,
  loadPrivateKey,
  loadPublicKey,
  type KeyStructure,
} from '../../../src/pki/keys.js';

const cases: Array<[KeygenOptions, { encoding: KeyStructure; pem: RegExp | null }]> = [
  [
    { type: 'rsa', format: 'pem' },
    { encoding: 'pkcs8', pem: /^-----BEGIN PRIVATE KEY-----/ },
  ],
  [
    { type: 'rsa', format: 'pem', traditional: true },
    { encoding: 'pkcs1', pem: /^-----BEGIN RSA PRIVATE KEY-----/ },
  ],
  [
    { type: 'ec', curve: 'P-384', format: 'pem', traditional: true },
    { encoding: 'sec1', pem: /^-----BEGIN EC PRIVATE KEY-----/ },
  ],
  [
    { type: 'ec', format: 'pem', passphrase: 'abcd' },
    { encoding: 'pkcs8', pem: /^-----BEGIN ENCRYPTED PRIVATE KEY-----/ },
  ],
  [
    { type: 'ed25519', format: 'der' },
    { encoding: 'pkcs8', pem: null },
  ],
  [
    { type: 'ed448', format: 'der', passphrase: 'abcd' },
    { encoding: 'pkcs8', pem: null },
  ],
];

for (const [options, expected] of cases) {
  test(`keygen ${JSON.stringify(options)}`, async (t) => {
    const result = await keygen(options);
    t.is(result.format, options.format);
    t.is(result.encoding, expected.encoding);
    t.is(result.encrypted, options.passphrase !== undefined);
    if (expected.pem) {
      t.regex(result.privateKey.toString('latin1'), expected.pem);
      t.regex(result.publicKey.toString('latin1'), /^-----BEGIN PUBLIC KEY-----\n/);
    } else {
      t.is(result.privateKey[0], 0x30);
      t.is(result.publicKey[0], 0x30);
    }
    const privateKey = await loadPrivateKey(result.privateKey, {
      source: 'new key',
      passphrase: async () => options.passphrase ?? 'unused',
    });
    const publicKey = loadPublicKey(result.publicKey, 'new public key');
    t.true(keysMatch(privateKey, publicKey));
    t.deepEqual(result.key, describeKey(privateKey));
    t.is(
      result.publicKeySha256,
      createHash('sha256').update(encodePublicKey(publicKey, 'der')).digest('hex'),
    );
  });
}

test('keygen reports the curve and size it made', async (t) => {
  const result = await keygen({ type: 'ec', curve: 'P-521', format: 'pem' });
  t.deepEqual(result.key, { type: 'ec', bits: 521, curve: 'P-521' });
});

const refusals: Array<[string, KeygenOptions, RegExp]> = [
  ['--bits for an EC key', { type: 'ec', bits: 4096, format: 'pem' }, /--bits applies to RSA/],
  ['--bits for Ed25519', { type: 'ed25519', bits: 256, format: 'pem' }, /--bits applies to RSA/],
  [
    '--curve for RSA',
    { type: 'rsa', bits: 16384, curve: 'P-384', format: 'pem' },
    /--curve applies to EC/,
  ],
  [
    'a traditional Ed25519 key',
    { type: 'ed25519', format: 'pem', traditional: true },
    /ed25519 keys have no traditional format/,
  ],
  [
    'an encrypted traditional key',
    { type: 'rsa', bits: 16384, format: 'pem', traditional: true, passphrase: 'abcd' },
    /cannot be encrypted safely/,
  ],
];

for (const [name, options, message] of refusals) {
  test(`keygen refuses ${name} before generating anything`, async (t) => {
    const started = process.hrtime.bigint();
    await t.throwsAsync(keygen(options), { instanceOf: UsageError, message });
    // A 16384-bit RSA key takes minutes: the refusal must come before that work.
    t.true(process.hrtime.bigint() - started < 1_000_000_000n);
  });
}

test('keygen refuses weak RSA without allowWeak', async (t) => {
  await t.throwsAsync(keygen({ type: 'rsa', bits: 1024, format: 'pem' }), {
    instanceOf: RefusedError,
  });
});
