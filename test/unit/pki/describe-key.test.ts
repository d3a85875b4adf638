import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, WrongPassphraseError } from '../../../src/errors.js';
import { inspectData } from '../../../src/pki/describe/inspect.js';
import {
  keyTypeText,
  type PrivateKeyDescription,
  type PublicKeyDescription,
} from '../../../src/pki/describe/key.js';
import { fixturesDir } from '../../helpers/index.js';

const PASSPHRASE = 'tlskit-fixture';
const fixture = (name: string) => readFile(join(fixturesDir, 'inspect', name));

async function describeOnly(
  name: string,
  passphrase?: string,
): Promise<PrivateKeyDescription | PublicKeyDescription> {
  const result = await inspectData(await fixture(name), name, {
    passphrase: passphrase === undefined ? undefined : async () => passphrase,
  });
  const [only, ...others] = result.objects;
  if (!only || others.length) throw new Error(`${name} should hold exactly one object`);
  return only as PrivateKeyDescription | PublicKeyDescription;
}

interface KeyCase {
  file: string;
  kind: 'private-key' | 'public-key';
  encoding: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki';
  encrypted?: boolean;
  key: 'rsa' | 'p256';
}

const KEYS: KeyCase[] = [
  { file: 'openssl.rsa2048.key.pem', kind: 'private-key', encoding: 'pkcs8', key: 'rsa' },
  { file: 'openssl.rsa2048.pkcs1.key.pem', kind: 'private-key', encoding: 'pkcs1', key: 'rsa' },
  {
    file: 'openssl.rsa2048.legacy-enc.key.pem',
    kind: 'private-key',
    encoding: 'pkcs1',
    encrypted: true,
    key: 'rsa',
  },
  { file: 'openssl.rsa2048.pub.pem', kind: 'public-key', encoding: 'spki', key: 'rsa' },
  { file: 'openssl.rsa2048.rsapub.pem', kind: 'public-key', encoding: 'pkcs1', key: 'rsa' },
  { file: 'openssl.p256-leaf.key.pem', kind: 'private-key', encoding: 'pkcs8', key: 'p256' },
  { file: 'openssl.p256-leaf.key.der', kind: 'private-key', encoding: 'pkcs8', key: 'p256' },
  { file: 'openssl.p256-leaf.sec1.key.der', kind: 'private-key', encoding: 'sec1', key: 'p256' },
  { file: 'openssl.p256-leaf.sec1.key.pem', kind: 'private-key', encoding: 'sec1', key: 'p256' },
  {
    file: 'openssl.p256-leaf.enc.key.pem',
    kind: 'private-key',
    encoding: 'pkcs8',
    encrypted: true,
    key: 'p256',
  },
  {
    file: 'openssl.p256-leaf.enc.key.der',
    kind: 'private-key',
    encoding: 'pkcs8',
    encrypted: true,
    key: 'p256',
  },
  { file: 'openssl.p256-leaf.pub.der', kind: 'public-key', encoding: 'spki', key: 'p256' },
];

for (const expected of KEYS) {
  test(`${expected.file}: ${expected.kind}, ${expected.encoding}${expected.encrypted ? ', encrypted' : ''}`, async (t) => {
    const described = await describeOnly(expected.file, PASSPHRASE);
    t.is(described.kind, expected.kind);
    t.is(described.encoding, expected.encoding);
    if (described.kind === 'private-key') t.is(described.encrypted, Boolean(expected.encrypted));
    if (expected.key === 'rsa') {
      t.like(described, { keyType: 'rsa', bits: 2048, curve: null, publicExponent: 65537 });
    } else {
      t.like(described, { keyType: 'ec', bits: 256, curve: 'P-256', publicExponent: null });
    }
    const reference = await describeOnly(
      expected.key === 'rsa' ? 'openssl.rsa2048.pub.pem' : 'openssl.p256-leaf.pub.der',
    );
    t.is(described.publicKeySha256, reference.publicKeySha256);
  });
}

test('no private material reaches the description', async (t) => {
  for (const file of ['openssl.rsa2048.key.pem', 'openssl.p256-leaf.enc.key.pem']) {
    const text = JSON.stringify(await describeOnly(file, PASSPHRASE));
    const keyFile = (await fixture(file)).toString('utf8');
    const body = keyFile.split('\n')[1] ?? '';
    t.false(text.includes(body.slice(0, 32)), file);
    t.false(/"(d|p|q|dp|dq|qi|privateKey|modulus)"/.test(text), file);
  }
});

test('an encrypted PKCS#8 key tells its scheme: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC', async (t) => {
  const described = (await describeOnly(
    'openssl.p256-leaf.enc.key.pem',
    PASSPHRASE,
  )) as PrivateKeyDescription;
  t.deepEqual(described.encryption, {
    scheme: 'PBES2',
    kdf: 'PBKDF2',
    prf: 'hmacWithSHA256',
    iterations: 2048,
    cipher: 'aes-256-cbc',
    weak: false,
  });
});

test('a legacy Proc-Type key is flagged weak', async (t) => {
  const described = (await describeOnly(
    'openssl.rsa2048.legacy-enc.key.pem',
    PASSPHRASE,
  )) as PrivateKeyDescription;
  t.like(described.encryption, { scheme: 'legacy PEM', cipher: 'aes-256-cbc', weak: true });
});

test('an encrypted key without a passphrase source is a usage error naming --passin', async (t) => {
  const data = await fixture('openssl.p256-leaf.enc.key.pem');
  const error = await t.throwsAsync(inspectData(data, 'enc.pem'), { instanceOf: UsageError });
  t.regex(error?.hint ?? '', /--passin/);
});

for (const file of [
  'openssl.p256-leaf.enc.key.pem',
  'openssl.p256-leaf.enc.key.der',
  'openssl.rsa2048.legacy-enc.key.pem',
]) {
  test(`${file}: a wrong passphrase is a WrongPassphraseError`, async (t) => {
    const data = await fixture(file);
    await t.throwsAsync(inspectData(data, file, { passphrase: async () => 'not it' }), {
      instanceOf: WrongPassphraseError,
      message: /wrong passphrase/,
    });
  });
}

test('the passphrase is asked only for encrypted keys', async (t) => {
  let asked = 0;
  const passphrase = async () => {
    asked++;
    return PASSPHRASE;
  };
  await inspectData(await fixture('openssl.p256-leaf.key.pem'), 'plain', { passphrase });
  t.is(asked, 0);
  await inspectData(await fixture('openssl.p256-leaf.enc.key.der'), 'enc', { passphrase });
  t.is(asked, 1);
});

test('keyTypeText names each kind of key briefly', (t) => {
  const none = { bits: null, curve: null, publicExponent: null };
  t.is(
    keyTypeText({ ...none, keyType: 'rsa', bits: 3072, publicExponent: 3 }),
    'RSA 3072 bits, exponent 3',
  );
  t.is(keyTypeText({ ...none, keyType: 'ec', bits: 384, curve: 'P-384' }), 'EC P-384');
  t.is(keyTypeText({ ...none, keyType: 'ed448', bits: 456 }), 'Ed448');
  t.is(keyTypeText({ ...none, keyType: 'dsa', bits: 2048 }), 'DSA 2048 bits');
});
