import test from 'ava';
import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildPfx,
  LEGACY_3DES_PFX_ENCRYPTION,
  LEGACY_PFX_ENCRYPTION,
  localKeyIdOf,
  MODERN_PFX_ENCRYPTION,
  type PfxEncryption,
} from '../../../../src/pki/pkcs12/pfx-build.js';
import { parsePfx, readPfx } from '../../../../src/pki/pkcs12/pfx-read.js';
import { describePkcs12 } from '../../../../src/pki/describe/pkcs12.js';
import { decodePem } from '../../../../src/io/pem.js';
import { fixturesDir } from '../../../helpers/index.js';

const dir = join(fixturesDir, 'pkcs12');
const pemDer = async (name: string) =>
  decodePem(await readFile(join(dir, name), 'utf8'))[0]?.der as Buffer;

async function inputs(): Promise<{ key: KeyObject; leaf: Buffer; ca: Buffer; keyDer: Buffer }> {
  const { createPrivateKey } = await import('node:crypto');
  const keyDer = await pemDer('openssl.leaf.key.pem');
  return {
    key: createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' }),
    keyDer,
    leaf: await pemDer('openssl.leaf.cert.pem'),
    ca: await pemDer('openssl.ca.cert.pem'),
  };
}

const FORMATS: Record<string, PfxEncryption> = {
  modern: MODERN_PFX_ENCRYPTION,
  legacy: LEGACY_PFX_ENCRYPTION,
  'legacy, 3DES certificates': LEGACY_3DES_PFX_ENCRYPTION,
};

for (const [name, encryption] of Object.entries(FORMATS)) {
  test(`${name}: build then read gives back the key and certificates byte for byte`, async (t) => {
    const { key, keyDer, leaf, ca } = await inputs();
    const der = buildPfx({
      key,
      certificate: leaf,
      chain: [ca],
      passphrase: 'pass-1234',
      friendlyName: 'web',
      encryption,
    });
    const contents = await readPfx(der, {
      source: 'built.p12',
      passphrase: async () => 'pass-1234',
    });
    t.deepEqual(
      contents.keys.map((entry) => entry.pkcs8),
      [keyDer],
    );
    t.deepEqual(
      contents.certificates.map((certificate) => certificate.der),
      [leaf, ca],
    );
    t.true(contents.macVerified);
    const [entry] = contents.keys;
    const [leafBag, caBag] = contents.certificates;
    t.is(entry?.friendlyName, 'web');
    t.is(leafBag?.friendlyName, 'web');
    t.deepEqual(entry?.localKeyId, createHash('sha1').update(leaf).digest());
    t.deepEqual(leafBag?.localKeyId, entry?.localKeyId);
    t.is(caBag?.friendlyName, null, 'chain certificates carry no attributes, as in openssl files');
    t.is(caBag?.localKeyId, null);
  });
}

test("OpenSSL's layout and algorithms, as describe reads them back", async (t) => {
  const { key, leaf } = await inputs();
  const modern = await describePkcs12(
    buildPfx({
      key,
      certificate: leaf,
      passphrase: 'pass-1234',
      encryption: MODERN_PFX_ENCRYPTION,
    }),
    { source: 'm.p12' },
  );
  t.deepEqual(modern.mac, {
    algorithm: 'sha256',
    iterations: 2048,
    saltBytes: 16,
    supported: true,
  });
  t.deepEqual(
    modern.safes.map((safe) => safe.kind),
    ['encrypted', 'data'],
  );
  const certificateEncryption = modern.safes[0]?.encryption;
  const keyEncryption = modern.safes[1]?.bags?.[0]?.encryption;
  for (const encryption of [certificateEncryption, keyEncryption]) {
    t.like(encryption, {
      scheme: 'PBES2',
      prf: 'hmacWithSHA256',
      cipher: 'aes-256-cbc',
      iterations: 2048,
      saltBytes: 16,
    });
  }
  t.false(modern.legacy);

  const legacy = await describePkcs12(
    buildPfx({
      key,
      certificate: leaf,
      passphrase: 'pass-1234',
      encryption: LEGACY_PFX_ENCRYPTION,
    }),
    { source: 'l.p12' },
  );
  t.like(legacy.mac, { algorithm: 'sha1', iterations: 2048, saltBytes: 8 });
  t.like(legacy.safes[0]?.encryption, {
    scheme: 'pbeWithSHA1And40BitRC2-CBC',
    iterations: 2048,
    saltBytes: 8,
  });
  t.like(legacy.safes[1]?.bags?.[0]?.encryption, { scheme: 'pbeWithSHA1And3-KeyTripleDES-CBC' });
  t.true(legacy.legacy);
  t.true(legacy.needsLegacyProvider);
});

test('without a friendly name, only localKeyID is set', async (t) => {
  const { key, leaf } = await inputs();
  const der = buildPfx({
    key,
    certificate: leaf,
    passphrase: 'pass-1234',
    encryption: MODERN_PFX_ENCRYPTION,
  });
  const contents = await readPfx(der, { source: 'x.p12', passphrase: async () => 'pass-1234' });
  t.is(contents.keys[0]?.friendlyName, null);
  t.deepEqual(contents.keys[0]?.localKeyId, localKeyIdOf(leaf));
});

test('a non-ASCII friendly name survives (BMPString)', async (t) => {
  const { key, leaf } = await inputs();
  const der = buildPfx({
    key,
    certificate: leaf,
    passphrase: 'pass-1234',
    friendlyName: 'Zertifikat für ✓',
    encryption: MODERN_PFX_ENCRYPTION,
  });
  const contents = await readPfx(der, { source: 'x.p12', passphrase: async () => 'pass-1234' });
  t.is(contents.certificates[0]?.friendlyName, 'Zertifikat für ✓');
});

test('the same randomness gives the same bytes; fresh randomness gives fresh salts', async (t) => {
  const { key, leaf } = await inputs();
  const fixed = (size: number) => Buffer.alloc(size, 7);
  const build = (random?: (size: number) => Buffer) =>
    buildPfx({
      key,
      certificate: leaf,
      passphrase: 'pass-1234',
      encryption: MODERN_PFX_ENCRYPTION,
      random,
    });
  t.deepEqual(build(fixed), build(fixed));
  t.notDeepEqual(build(), build());
});

test('RSA and Ed25519 keys too', async (t) => {
  for (const type of ['rsa', 'ed25519'] as const) {
    const { privateKey } =
      type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
    // Any certificate will do for the format itself; matching is exportPfx's job.
    const certificate = new X509Certificate(await readFile(join(dir, 'openssl.rsa.cert.pem'))).raw;
    const der = buildPfx({
      key: privateKey,
      certificate,
      passphrase: 'pass-1234',
      encryption: LEGACY_PFX_ENCRYPTION,
    });
    const contents = await readPfx(der, { source: 'x.p12', passphrase: async () => 'pass-1234' });
    t.is(contents.keys[0]?.key.asymmetricKeyType, type);
  }
});

test('parsePfx finds the MAC and both AuthenticatedSafe entries without the password', async (t) => {
  const { key, leaf } = await inputs();
  const structure = parsePfx(
    buildPfx({
      key,
      certificate: leaf,
      passphrase: 'pass-1234',
      encryption: MODERN_PFX_ENCRYPTION,
    }),
    'x.p12',
  );
  t.truthy(structure.macData);
  t.is(structure.contents.length, 2);
});
