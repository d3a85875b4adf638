import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, WrongPassphraseError } from '../../src/errors.js';
import {
  describeKey,
  encodePrivateKey,
  encodePublicKey,
  generateKeyPair,
  keysMatch,
  loadPrivateKey,
  loadPublicKey,
  type KeyDescription,
  type KeyPair,
  type KeySpec,
  type PrivateKeyEncoding,
} from '../../src/pki/keys.js';
import { fixturesDir, makeTempDir, openssl, runOpenssl } from '../helpers/index.js';

/*
 * Both directions against the real openssl CLI: openssl checks the keys we write, and we read
 * the keys openssl writes (committed once by fixtures/openssl-keys/make.sh, plus a few made
 * live by whatever openssl this machine has).
 */

const keysDir = join(fixturesDir, 'openssl-keys');
const FIXTURE_PASSPHRASE = 'tlskit-fixture';
/** Spaces and non-ASCII: both sides must feed PBKDF2 the same UTF-8 bytes. */
const OUR_PASSPHRASE = 'correct horse – bättery staple';

// ---- our keys, checked by openssl -------------------------------------------------------

interface OurKey {
  name: string;
  spec: KeySpec;
  /** `openssl pkey -check` applies to RSA and EC; EdDSA keys are checked by loading them. */
  check: boolean;
  traditional: boolean;
}

const ourKeys: OurKey[] = [
  { name: 'RSA 2048', spec: { type: 'rsa', bits: 2048 }, check: true, traditional: true },
  { name: 'RSA 3072', spec: { type: 'rsa', bits: 3072 }, check: true, traditional: true },
  { name: 'EC P-256', spec: { type: 'ec', curve: 'P-256' }, check: true, traditional: true },
  { name: 'EC P-384', spec: { type: 'ec', curve: 'P-384' }, check: true, traditional: true },
  { name: 'EC P-521', spec: { type: 'ec', curve: 'P-521' }, check: true, traditional: true },
  { name: 'Ed25519', spec: { type: 'ed25519' }, check: false, traditional: false },
  { name: 'Ed448', spec: { type: 'ed448' }, check: false, traditional: false },
];

/** One key per spec for the whole file: RSA 3072 takes a while on a 2-core machine. */
const pairs = new Map<string, Promise<KeyPair>>();
function pairFor(key: OurKey): Promise<KeyPair> {
  if (!pairs.has(key.name)) pairs.set(key.name, generateKeyPair(key.spec));
  return pairs.get(key.name) as Promise<KeyPair>;
}

for (const ours of ourKeys) {
  const variants: PrivateKeyEncoding[] = (['pem', 'der'] as const).flatMap((format) => [
    { format, traditional: false },
    ...(ours.traditional ? [{ format, traditional: true }] : []),
  ]);
  for (const variant of variants) {
    const form = `${variant.format.toUpperCase()} ${variant.traditional ? 'traditional' : 'PKCS#8'}`;
    test(`openssl accepts our ${ours.name} key as ${form}`, async (t) => {
      const dir = await makeTempDir(t);
      const { privateKey, publicKey } = await pairFor(ours);
      const path = join(dir, `key.${variant.format}`);
      await writeFile(path, encodePrivateKey(privateKey, variant));
      const inform = ['-inform', variant.format.toUpperCase()];
      const checked = await openssl([
        'pkey',
        '-in',
        path,
        ...inform,
        '-noout',
        ...(ours.check ? ['-check'] : []),
      ]);
      if (ours.check) t.regex(checked, /Key is valid/);
      // openssl sees the same key: its public half is ours, byte for byte.
      const theirPublic = await openssl(['pkey', '-in', path, ...inform, '-pubout']);
      t.is(theirPublic, encodePublicKey(publicKey, 'pem').toString());
    });
  }

  test(`openssl reads our ${ours.name} public key (PEM and DER)`, async (t) => {
    const dir = await makeTempDir(t);
    const { publicKey } = await pairFor(ours);
    for (const format of ['pem', 'der'] as const) {
      const path = join(dir, `pub.${format}`);
      await writeFile(path, encodePublicKey(publicKey, format));
      const text = await openssl([
        'pkey',
        '-pubin',
        '-in',
        path,
        '-inform',
        format.toUpperCase(),
        '-pubout',
      ]);
      t.is(text, encodePublicKey(publicKey, 'pem').toString(), format);
    }
  });
}

const encryptedKeys = ourKeys.filter((key) => ['RSA 2048', 'EC P-384', 'Ed448'].includes(key.name));

for (const ours of encryptedKeys) {
  for (const format of ['pem', 'der'] as const) {
    test(`openssl opens our encrypted ${ours.name} ${format.toUpperCase()} key: PBES2, PBKDF2, hmacWithSHA256, AES-256-CBC`, async (t) => {
      const dir = await makeTempDir(t);
      const { privateKey } = await pairFor(ours);
      const path = join(dir, `key.${format}`);
      await writeFile(path, encodePrivateKey(privateKey, { format, passphrase: OUR_PASSPHRASE }));
      const inform = ['-inform', format.toUpperCase()];

      const structure = await openssl(['asn1parse', '-in', path, ...inform]);
      const objects = [...structure.matchAll(/OBJECT\s+:(\S+)/g)].map((match) => match[1]);
      t.deepEqual(objects, ['PBES2', 'PBKDF2', 'hmacWithSHA256', 'aes-256-cbc']);

      // Decrypted by openssl, it is exactly the key we would have written unencrypted.
      const decrypted = await openssl([
        'pkey',
        '-in',
        path,
        ...inform,
        '-passin',
        `pass:${OUR_PASSPHRASE}`,
      ]);
      t.is(decrypted, encodePrivateKey(privateKey, { format: 'pem' }).toString());

      const wrong = await runOpenssl(['pkey', '-in', path, ...inform, '-passin', 'pass:wrong']);
      t.not(wrong.code, 0, 'openssl refuses a wrong passphrase');
    });
  }
}

// ---- openssl's keys, read by us ---------------------------------------------------------

interface TheirKey {
  file: string;
  expected: KeyDescription;
  encrypted?: boolean;
}

const rsa2048: KeyDescription = { type: 'rsa', bits: 2048 };
const theirKeys: TheirKey[] = [
  { file: 'openssl.genrsa.pkcs8.pem', expected: rsa2048 },
  { file: 'openssl.genrsa.pkcs8.der', expected: rsa2048 },
  { file: 'openssl.genrsa.traditional.pem', expected: rsa2048 },
  { file: 'openssl.genrsa.traditional.der', expected: rsa2048 },
  { file: 'openssl.genpkey.rsa.pem', expected: rsa2048 },
  { file: 'openssl.genpkey.rsa.der', expected: rsa2048 },
  { file: 'openssl.genpkey.ec-p256.pem', expected: { type: 'ec', bits: 256, curve: 'P-256' } },
  { file: 'openssl.genpkey.ec-p256.der', expected: { type: 'ec', bits: 256, curve: 'P-256' } },
  { file: 'openssl.genpkey.ec-p384.pem', expected: { type: 'ec', bits: 384, curve: 'P-384' } },
  { file: 'openssl.genpkey.ec-p384.der', expected: { type: 'ec', bits: 384, curve: 'P-384' } },
  { file: 'openssl.genpkey.ec-p521.pem', expected: { type: 'ec', bits: 521, curve: 'P-521' } },
  { file: 'openssl.genpkey.ec-p521.der', expected: { type: 'ec', bits: 521, curve: 'P-521' } },
  { file: 'openssl.ecparam.sec1.pem', expected: { type: 'ec', bits: 256, curve: 'P-256' } },
  { file: 'openssl.ecparam.sec1.der', expected: { type: 'ec', bits: 256, curve: 'P-256' } },
  { file: 'openssl.genpkey.ed25519.pem', expected: { type: 'ed25519', bits: 256 } },
  { file: 'openssl.genpkey.ed25519.der', expected: { type: 'ed25519', bits: 256 } },
  { file: 'openssl.genpkey.ed448.pem', expected: { type: 'ed448', bits: 456 } },
  { file: 'openssl.genpkey.ed448.der', expected: { type: 'ed448', bits: 456 } },
  { file: 'openssl.pkcs8.v2-aes256.enc.pem', expected: rsa2048, encrypted: true },
  { file: 'openssl.pkcs8.v2-aes256.enc.der', expected: rsa2048, encrypted: true },
  {
    file: 'openssl.pkcs8.v2-aes256.ec-p384.enc.pem',
    expected: { type: 'ec', bits: 384, curve: 'P-384' },
    encrypted: true,
  },
  { file: 'openssl.rsa.traditional-aes256.enc.pem', expected: rsa2048, encrypted: true },
  {
    file: 'openssl.ec.sec1-aes256.enc.pem',
    expected: { type: 'ec', bits: 256, curve: 'P-256' },
    encrypted: true,
  },
];

/** The SPKI PEM openssl derives from one of its key files. */
function opensslPublicKey(path: string, encrypted: boolean): Promise<string> {
  const inform = path.endsWith('.der') ? ['-inform', 'DER'] : [];
  const passin = encrypted ? ['-passin', `pass:${FIXTURE_PASSPHRASE}`] : [];
  return openssl(['pkey', '-in', path, ...inform, ...passin, '-pubout']);
}

for (const their of theirKeys) {
  test(`we read ${their.file}, and derive the public key openssl does`, async (t) => {
    const path = join(keysDir, their.file);
    const data = await readFile(path);
    const key = await loadPrivateKey(data, {
      source: path,
      passphrase: async () => FIXTURE_PASSPHRASE,
    });
    t.deepEqual(describeKey(key), their.expected);
    t.is(
      encodePublicKey(key, 'pem').toString(),
      await opensslPublicKey(path, their.encrypted === true),
    );
  });

  if (their.encrypted) {
    test(`${their.file}: a wrong passphrase is WrongPassphraseError, none a UsageError naming --passin`, async (t) => {
      const path = join(keysDir, their.file);
      const data = await readFile(path);
      await t.throwsAsync(loadPrivateKey(data, { source: path, passphrase: async () => 'nope' }), {
        instanceOf: WrongPassphraseError,
        message: `wrong passphrase for ${path}`,
      });
      const none = await t.throwsAsync(loadPrivateKey(data, { source: path }), {
        instanceOf: UsageError,
      });
      t.regex(none?.hint ?? '', /--passin/);
    });
  }
}

const theirPublicKeys: Array<[string, string]> = [
  ['openssl.genrsa.pkcs8.pub.pem', 'openssl.genrsa.pkcs8.pem'],
  ['openssl.genrsa.pkcs8.pub.der', 'openssl.genrsa.pkcs8.pem'],
  ['openssl.genrsa.pkcs8.pkcs1-pub.pem', 'openssl.genrsa.pkcs8.pem'],
  ['openssl.genpkey.ec-p384.pub.pem', 'openssl.genpkey.ec-p384.pem'],
  ['openssl.genpkey.ed25519.pub.pem', 'openssl.genpkey.ed25519.pem'],
];

for (const [publicFile, privateFile] of theirPublicKeys) {
  test(`we read openssl's public key ${publicFile}`, async (t) => {
    const publicKey = loadPublicKey(await readFile(join(keysDir, publicFile)), publicFile);
    const privateKey = await loadPrivateKey(await readFile(join(keysDir, privateFile)), {
      source: privateFile,
    });
    t.true(keysMatch(privateKey, publicKey));
  });
}

/** Made now by this machine's openssl, in case its defaults differ from the fixtures'. */
const liveKeys: Array<[string, string[], KeyDescription]> = [
  ['genrsa', ['genrsa', '2048'], rsa2048],
  ['genrsa -traditional', ['genrsa', '-traditional', '2048'], rsa2048],
  [
    'ecparam -genkey',
    ['ecparam', '-name', 'secp384r1', '-genkey'],
    { type: 'ec', bits: 384, curve: 'P-384' },
  ],
  [
    'genpkey EC P-521',
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
    { type: 'ec', bits: 521, curve: 'P-521' },
  ],
  ['genpkey Ed25519', ['genpkey', '-algorithm', 'ED25519'], { type: 'ed25519', bits: 256 }],
  ['genpkey Ed448', ['genpkey', '-algorithm', 'ED448'], { type: 'ed448', bits: 456 }],
];

for (const [name, args, expected] of liveKeys) {
  test(`we read a key made now by openssl ${name}, PEM and DER`, async (t) => {
    const dir = await makeTempDir(t);
    const pemPath = join(dir, 'key.pem');
    await writeFile(pemPath, await openssl(args));
    const derPath = join(dir, 'key.der');
    const traditional = name.includes('-traditional') || name.startsWith('ecparam');
    await openssl([
      traditional ? (expected.type === 'rsa' ? 'rsa' : 'ec') : 'pkey',
      '-in',
      pemPath,
      '-outform',
      'DER',
      '-out',
      derPath,
    ]);
    const theirPublic = await opensslPublicKey(pemPath, false);
    for (const path of [pemPath, derPath]) {
      const key = await loadPrivateKey(await readFile(path), { source: path });
      t.deepEqual(describeKey(key), expected);
      t.is(encodePublicKey(key, 'pem').toString(), theirPublic);
    }
  });
}
