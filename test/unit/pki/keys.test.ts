import test, { type ExecutionContext } from 'ava';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InputError,
  RefusedError,
  TlskitError,
  UsageError,
  WrongPassphraseError,
} from '../../../src/errors.js';
import { encodePem } from '../../../src/io/pem.js';
import {
  describeKey,
  encodePrivateKey,
  encodePublicKey,
  generateKeyPair,
  keysMatch,
  loadPrivateKey,
  loadPublicKey,
  publicKeyOf,
  readPrivateKeyFile,
  readPublicKeyFile,
  selectKeyStructure,
  type KeySpec,
  type PrivateKeyEncoding,
} from '../../../src/pki/keys.js';
import { fixturesDir, makeTempDir } from '../../helpers/index.js';

const keysDir = join(fixturesDir, 'openssl-keys');
const FIXTURE_PASSPHRASE = 'tlskit-fixture';

function fixture(name: string): Promise<Buffer> {
  return readFile(join(keysDir, name));
}

/** A passphrase provider that records the prompts it was asked. */
function recordingProvider(answer: string) {
  const asked: string[] = [];
  const provider = async (purpose: string) => {
    asked.push(purpose);
    return answer;
  };
  return { provider, asked };
}

/** Key generation is the slow part: each spec is made once and shared by the tests. */
const generated = new Map<string, Promise<KeyObject>>();
function keyFor(spec: KeySpec): Promise<KeyObject> {
  const id = JSON.stringify(spec);
  if (!generated.has(id))
    generated.set(
      id,
      generateKeyPair(spec).then((pair) => pair.privateKey),
    );
  return generated.get(id) as Promise<KeyObject>;
}

// ---- generation and description ---------------------------------------------------------

const descriptions: Array<[KeySpec, ReturnType<typeof describeKey>]> = [
  [{ type: 'rsa' }, { type: 'rsa', bits: 2048 }],
  [{ type: 'ec' }, { type: 'ec', bits: 256, curve: 'P-256' }],
  [
    { type: 'ec', curve: 'P-384' },
    { type: 'ec', bits: 384, curve: 'P-384' },
  ],
  [
    { type: 'ec', curve: 'P-521' },
    { type: 'ec', bits: 521, curve: 'P-521' },
  ],
  [{ type: 'ed25519' }, { type: 'ed25519', bits: 256 }],
  [{ type: 'ed448' }, { type: 'ed448', bits: 456 }],
];

for (const [spec, description] of descriptions) {
  test(`generates and describes ${JSON.stringify(spec)}`, async (t) => {
    const key = await keyFor(spec);
    t.is(key.type, 'private');
    t.deepEqual(describeKey(key), description);
    t.deepEqual(describeKey(publicKeyOf(key)), description);
  });
}

test('RSA below 2048 bits is refused unless weak keys are allowed', async (t) => {
  const error = await t.throwsAsync(generateKeyPair({ type: 'rsa', bits: 1024 }), {
    instanceOf: RefusedError,
  });
  t.is(error?.exitCode, 4);
  t.regex(error?.hint ?? '', /--allow-weak/);
  const { privateKey } = await generateKeyPair({ type: 'rsa', bits: 1024, allowWeak: true });
  t.is(describeKey(privateKey).bits, 1024);
});

const unusableSpecs: Array<[string, KeySpec]> = [
  ['an RSA size that is not a whole number of bytes', { type: 'rsa', bits: 2047 }],
  ['an RSA size below what OpenSSL allows', { type: 'rsa', bits: 256, allowWeak: true }],
  ['an absurd RSA size', { type: 'rsa', bits: 1 << 20 }],
  ['an unsupported curve', { type: 'ec', curve: 'secp256k1' as never }],
  ['an unknown key type', { type: 'dsa' as never }],
];

for (const [name, spec] of unusableSpecs) {
  test(`generateKeyPair refuses ${name} as a usage error`, async (t) => {
    await t.throwsAsync(generateKeyPair(spec), { instanceOf: UsageError });
  });
}

// ---- encoding ---------------------------------------------------------------------------

test('selectKeyStructure picks PKCS#8, PKCS#1 or SEC1 and refuses what cannot be written', (t) => {
  t.is(selectKeyStructure('ed25519', {}), 'pkcs8');
  t.is(selectKeyStructure('rsa', { passphrase: 'abcd' }), 'pkcs8');
  t.is(selectKeyStructure('rsa', { traditional: true }), 'pkcs1');
  t.is(selectKeyStructure('ec', { traditional: true }), 'sec1');
  t.throws(() => selectKeyStructure('ed448', { traditional: true }), {
    instanceOf: UsageError,
    message: 'ed448 keys have no traditional format',
  });
  t.throws(() => selectKeyStructure('rsa', { traditional: true, passphrase: 'abcd' }), {
    instanceOf: UsageError,
    message: /cannot be encrypted safely/,
  });
});

const encodings: Array<[string, KeySpec, PrivateKeyEncoding, RegExp | null]> = [
  ['RSA PKCS#8 PEM', { type: 'rsa' }, { format: 'pem' }, /^-----BEGIN PRIVATE KEY-----\n/],
  [
    'RSA PKCS#1 PEM',
    { type: 'rsa' },
    { format: 'pem', traditional: true },
    /^-----BEGIN RSA PRIVATE KEY-----\n/,
  ],
  [
    'EC SEC1 PEM',
    { type: 'ec' },
    { format: 'pem', traditional: true },
    /^-----BEGIN EC PRIVATE KEY-----\n/,
  ],
  [
    'EC encrypted PKCS#8 PEM',
    { type: 'ec', curve: 'P-384' },
    { format: 'pem', passphrase: 'correct horse' },
    /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/,
  ],
  ['RSA PKCS#1 DER', { type: 'rsa' }, { format: 'der', traditional: true }, null],
  ['EC SEC1 DER', { type: 'ec', curve: 'P-521' }, { format: 'der', traditional: true }, null],
  ['Ed25519 PKCS#8 DER', { type: 'ed25519' }, { format: 'der' }, null],
  ['Ed448 encrypted DER', { type: 'ed448' }, { format: 'der', passphrase: 'abcd' }, null],
];

for (const [name, spec, encoding, pemStart] of encodings) {
  test(`${name} reads back as the same key`, async (t) => {
    const key = await keyFor(spec);
    const encoded = encodePrivateKey(key, encoding);
    if (pemStart) t.regex(encoded.toString('latin1'), pemStart);
    else t.is(encoded[0], 0x30, 'DER starts with a SEQUENCE');
    const { provider, asked } = recordingProvider(encoding.passphrase ?? 'unused');
    const loaded = await loadPrivateKey(encoded, { source: 'k', passphrase: provider });
    t.true(keysMatch(loaded, key));
    t.deepEqual(asked, encoding.passphrase === undefined ? [] : ['passphrase for k']);
  });
}

test('encodePublicKey writes SPKI that loadPublicKey reads back', async (t) => {
  const key = await keyFor({ type: 'ec' });
  const pem = encodePublicKey(key, 'pem');
  t.regex(pem.toString(), /^-----BEGIN PUBLIC KEY-----\n/);
  t.true(keysMatch(key, loadPublicKey(pem, 'pub.pem')));
  t.true(keysMatch(key, loadPublicKey(encodePublicKey(key, 'der'), 'pub.der')));
});

test('keysMatch compares public halves in any combination', async (t) => {
  const a = await keyFor({ type: 'ec' });
  const b = await keyFor({ type: 'ec', curve: 'P-384' });
  const rsa = await keyFor({ type: 'rsa' });
  t.true(keysMatch(a, publicKeyOf(a)));
  t.true(keysMatch(publicKeyOf(a), a));
  t.true(keysMatch(a, a));
  t.false(keysMatch(a, publicKeyOf(b)));
  t.false(keysMatch(rsa, a));
});

// ---- loading: encrypted keys ------------------------------------------------------------

const encryptedFixtures = [
  'openssl.pkcs8.v2-aes256.enc.pem',
  'openssl.pkcs8.v2-aes256.enc.der',
  'openssl.rsa.traditional-aes256.enc.pem',
];

for (const name of encryptedFixtures) {
  test(`${name}: right passphrase opens, wrong one is WrongPassphraseError, none names --passin`, async (t) => {
    const data = await fixture(name);
    const right = recordingProvider(FIXTURE_PASSPHRASE);
    const key = await loadPrivateKey(data, { source: name, passphrase: right.provider });
    t.deepEqual(describeKey(key), { type: 'rsa', bits: 2048 });
    t.deepEqual(right.asked, [`passphrase for ${name}`]);

    const wrong = await t.throwsAsync(
      loadPrivateKey(data, { source: name, passphrase: async () => 'wrong' }),
      { instanceOf: WrongPassphraseError },
    );
    t.is(wrong?.message, `wrong passphrase for ${name}`);
    t.is(wrong?.exitCode, 3);

    const none = await t.throwsAsync(loadPrivateKey(data, { source: name }), {
      instanceOf: UsageError,
    });
    t.is(none?.message, `${name} is encrypted`);
    t.regex(none?.hint ?? '', /--passin/);
  });
}

/**
 * A wrong passphrase decrypts to bytes whose CBC padding looks valid about 1 time in 256;
 * OpenSSL then fails later, while parsing, with another error. Find such a passphrase.
 */
function findPassphraseWithValidPadding(data: Buffer): string | undefined {
  for (let attempt = 0; attempt < 5000; attempt++) {
    const passphrase = `wrong-${attempt}`;
    try {
      createPrivateKey({ key: data, passphrase });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_OSSL_BAD_DECRYPT') return passphrase;
    }
  }
  return undefined;
}

for (const name of [
  'openssl.pkcs8.v2-aes256.ec-p384.enc.pem',
  'openssl.rsa.traditional-aes256.enc.pem',
]) {
  test(`${name}: a wrong passphrase with lucky padding is still WrongPassphraseError`, async (t) => {
    const data = await fixture(name);
    const lucky = findPassphraseWithValidPadding(data);
    if (lucky === undefined) return t.fail('no passphrase with valid padding in 5000 tries');
    await t.throwsAsync(loadPrivateKey(data, { source: name, passphrase: async () => lucky }), {
      instanceOf: WrongPassphraseError,
    });
  });
}

for (const name of ['openssl.pkcs8.v2-des.enc.pem', 'openssl.ec.sec1-des.enc.pem']) {
  test(`${name}: a legacy cipher is named as such, not blamed on the passphrase`, async (t) => {
    const error = await t.throwsAsync(
      loadPrivateKey(await fixture(name), {
        source: name,
        passphrase: async () => FIXTURE_PASSPHRASE,
      }),
      { instanceOf: InputError },
    );
    t.false(error instanceof WrongPassphraseError);
    t.is(error?.message, `${name} is encrypted with a cipher OpenSSL 3 no longer enables`);
    t.regex(error?.hint ?? '', /openssl pkcs8 -topk8 -v2 aes256/);
  });
}

test('a damaged encrypted key is an input error before any passphrase is asked', async (t) => {
  const der = await fixture('openssl.pkcs8.v2-aes256.enc.der');
  // Keep the outer SEQUENCE whole but make its first element an INTEGER, not an AlgorithmIdentifier.
  const damaged = Buffer.from(der);
  damaged[4] = 0x02;
  const pem = encodePem('ENCRYPTED PRIVATE KEY', damaged);
  const { provider, asked } = recordingProvider(FIXTURE_PASSPHRASE);
  await t.throwsAsync(loadPrivateKey(Buffer.from(pem), { source: 'k.pem', passphrase: provider }), {
    instanceOf: InputError,
    message: 'k.pem is damaged: not a valid encrypted PKCS#8 key',
  });
  t.deepEqual(asked, []);
});

test('an unencrypted key never asks for a passphrase', async (t) => {
  const { provider, asked } = recordingProvider('unused');
  await loadPrivateKey(await fixture('openssl.genrsa.pkcs8.pem'), {
    source: 'k',
    passphrase: provider,
  });
  t.deepEqual(asked, []);
});

// ---- loading: bad input -----------------------------------------------------------------

interface BadInput {
  name: string;
  /** Writes the input under `dir`, returning its path. */
  make(dir: string): Promise<string>;
  message: RegExp;
}

async function writeInput(dir: string, name: string, data: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}

const badInputs: BadInput[] = [
  {
    name: 'garbage',
    make: (dir) => writeInput(dir, 'garbage.key', 'this is not a key\n'),
    message: /garbage\.key is not DER/,
  },
  {
    name: 'random bytes',
    make: (dir) => writeInput(dir, 'random.key', Buffer.from('8f3a77c1d0e9b2', 'hex')),
    message: /random\.key is not DER/,
  },
  {
    name: 'a truncated PEM (no END line)',
    make: async (dir) => {
      const pem = (await fixture('openssl.genrsa.pkcs8.pem')).toString();
      return writeInput(dir, 'cut.pem', pem.slice(0, pem.length / 2));
    },
    message: /cut\.pem: PEM block PRIVATE KEY is truncated \(no END line\)/,
  },
  {
    name: 'a PEM with lines missing',
    make: async (dir) => {
      const lines = (await fixture('openssl.genrsa.pkcs8.pem')).toString().split('\n');
      lines.splice(3, 4);
      return writeInput(dir, 'holes.pem', lines.join('\n'));
    },
    message: /holes\.pem: PEM block PRIVATE KEY is truncated \(\d+ of \d+ bytes\)/,
  },
  {
    name: 'a truncated DER',
    make: async (dir) =>
      writeInput(dir, 'cut.der', (await fixture('openssl.genrsa.pkcs8.der')).subarray(0, 700)),
    message: /cut\.der is truncated \(700 of \d+ bytes\)/,
  },
  {
    name: 'a DER with trailing data',
    make: async (dir) =>
      writeInput(
        dir,
        'long.der',
        Buffer.concat([await fixture('openssl.genpkey.ed25519.der'), Buffer.from([0])]),
      ),
    message: /long\.der has 1 bytes of trailing data/,
  },
  {
    name: 'a valid SEQUENCE that is no key',
    make: (dir) => writeInput(dir, 'seq.der', Buffer.from('3003020101', 'hex')),
    message: /seq\.der is not a private key \(PKCS#8, PKCS#1 or SEC1, PEM or DER\)/,
  },
  {
    name: 'a PEM key block with bad contents',
    make: (dir) =>
      writeInput(dir, 'bad.pem', encodePem('RSA PRIVATE KEY', Buffer.from('3003020101', 'hex'))),
    message: /bad\.pem: PEM block RSA PRIVATE KEY does not hold a valid PKCS#1 key/,
  },
  {
    name: 'a certificate (PEM)',
    make: async (dir) => writeInput(dir, 'cert.pem', await fixture('openssl.req.x509.pem')),
    message: /cert\.pem holds CERTIFICATE, not a private key/,
  },
  {
    name: 'a certificate (DER)',
    make: async (dir) => writeInput(dir, 'cert.der', await fixture('openssl.req.x509.der')),
    message: /cert\.der is a certificate, not a private key/,
  },
  {
    name: 'a public key (DER)',
    make: async (dir) => writeInput(dir, 'pub.der', await fixture('openssl.genrsa.pkcs8.pub.der')),
    message: /pub\.der is a public key, not a private key/,
  },
  {
    name: 'a CSR',
    make: async (dir) => writeInput(dir, 'req.csr', await fixture('openssl.req.csr.pem')),
    message: /req\.csr holds CERTIFICATE REQUEST, not a private key/,
  },
  {
    name: 'a public key',
    make: async (dir) => writeInput(dir, 'pub.pem', await fixture('openssl.genrsa.pkcs8.pub.pem')),
    message: /pub\.pem holds PUBLIC KEY, not a private key/,
  },
  {
    name: 'an X25519 key',
    make: async (dir) => writeInput(dir, 'x.pem', await fixture('openssl.genpkey.x25519.pem')),
    message: /x\.pem: x25519 keys are not supported/,
  },
  {
    name: 'an RSA-PSS key',
    make: async (dir) => writeInput(dir, 'pss.pem', await fixture('openssl.genpkey.rsa-pss.pem')),
    message: /pss\.pem: rsa-pss keys are not supported/,
  },
  {
    name: 'a secp256k1 key',
    make: async (dir) =>
      writeInput(dir, 'k1.pem', await fixture('openssl.genpkey.ec-secp256k1.pem')),
    message: /k1\.pem: EC curve secp256k1 is not supported/,
  },
  {
    name: 'an empty file',
    make: (dir) => writeInput(dir, 'empty.key', ''),
    message: /empty\.key is empty/,
  },
  {
    name: 'a folder',
    make: async (dir) => {
      await mkdir(join(dir, 'folder.key'));
      return join(dir, 'folder.key');
    },
    message: /folder\.key is a folder, not a file/,
  },
  {
    name: 'a missing file',
    make: async (dir) => join(dir, 'missing.key'),
    message: /missing\.key: no such file/,
  },
  {
    name: 'a path through a file',
    make: async (dir) => join(await writeInput(dir, 'file', 'x'), 'key.pem'),
    message: /file\/key\.pem: a folder in the path is a file/,
  },
  {
    name: 'an endless device',
    make: async () => '/dev/zero',
    message: /\/dev\/zero is too large to be a key or certificate/,
  },
];

for (const bad of badInputs) {
  test(`a private key file that is ${bad.name} is an InputError (exit 3) naming the file`, async (t) => {
    const path = await bad.make(await makeTempDir(t));
    const error = await t.throwsAsync(readPrivateKeyFile(path), { instanceOf: InputError });
    t.regex(error?.message ?? '', bad.message);
    t.true(error?.message.includes(path), `"${error?.message}" names ${path}`);
    t.is(error?.exitCode, 3);
  });
}

const badPublicInputs: Array<[string, string, RegExp]> = [
  ['a CSR', 'openssl.req.csr.pem', /holds CERTIFICATE REQUEST, not a public key/],
  ['a certificate', 'openssl.req.x509.der', /is a certificate, not a public key/],
  [
    'an encrypted key',
    'openssl.pkcs8.v2-aes256.enc.der',
    /holds an encrypted private key, not a public key/,
  ],
  [
    'an encrypted legacy key',
    'openssl.rsa.traditional-aes256.enc.pem',
    /holds an encrypted private key, not a public key/,
  ],
  ['an X25519 key', 'openssl.genpkey.x25519.pem', /x25519 keys are not supported/],
];

for (const [name, file, message] of badPublicInputs) {
  test(`a public key file that is ${name} is an InputError naming the file`, async (t) => {
    const path = join(keysDir, file);
    const error = await t.throwsAsync(readPublicKeyFile(path), { instanceOf: InputError });
    t.regex(error?.message ?? '', message);
    t.true(error?.message.includes(path));
  });
}

test('loadPublicKey derives the public half of an unencrypted private key', async (t) => {
  for (const name of ['openssl.genrsa.traditional.pem', 'openssl.ecparam.sec1.der']) {
    const data = await fixture(name);
    const key = loadPublicKey(data, name);
    t.is(key.type, 'public');
    t.true(keysMatch(await loadPrivateKey(data, { source: name }), key), name);
  }
});

// ---- loading: damaged bytes never escape as bare errors --------------------------------

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 0x100000000;
  };
}

async function expectKeyOrTlskitError(
  t: ExecutionContext,
  data: Buffer,
  label: string,
): Promise<void> {
  const options = { source: 'mutant', passphrase: async () => FIXTURE_PASSPHRASE };
  for (const load of [
    () => loadPrivateKey(data, options),
    async () => loadPublicKey(data, 'mutant'),
  ]) {
    try {
      await load();
    } catch (error) {
      if (!(error instanceof TlskitError)) {
        t.fail(`${label}: ${(error as Error).name}: ${(error as Error).message}`);
        return;
      }
    }
  }
}

for (const name of [
  'openssl.genpkey.ec-p521.der',
  'openssl.pkcs8.v2-aes256.enc.der',
  'openssl.ecparam.sec1.pem',
  'openssl.rsa.traditional-aes256.enc.pem',
]) {
  test(`${name}: every truncation and 300 random byte flips give a key or a TlskitError`, async (t) => {
    const original = await fixture(name);
    const random = seededRandom(0x7115c17);
    const step = Math.max(1, Math.floor(original.length / 150));
    for (let length = 0; length < original.length; length += step) {
      await expectKeyOrTlskitError(t, original.subarray(0, length), `cut at ${length}`);
    }
    for (let round = 0; round < 300; round++) {
      const mutant = Buffer.from(original);
      const index = Math.floor(random() * mutant.length);
      mutant[index] = Math.floor(random() * 256);
      await expectKeyOrTlskitError(t, mutant, `byte ${index} := ${mutant[index]}`);
    }
    t.pass();
  });
}
