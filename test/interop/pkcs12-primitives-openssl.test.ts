/**
 * The pieces PKCS#12 needs that Node lacks, against OpenSSL's own implementations: the PKCS#12
 * KDF (`openssl kdf PKCS12KDF`), RC2 (`openssl enc` with the legacy provider), and each
 * password-based scheme, in both directions (`openssl pkcs8 -v1/-v2`).
 */
import test from 'ava';
import { createPrivateKey, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { hashByName, type HashName } from '../../src/pki/pkcs12/algorithms.js';
import { pkcs12Password } from '../../src/pki/pkcs12/password.js';
import {
  decryptWithPassword,
  encryptWithPassword,
  type EncryptionScheme,
} from '../../src/pki/pkcs12/pbe.js';
import { derivePkcs12Key, type Pkcs12KeyPurposeValue } from '../../src/pki/pkcs12/pkcs12-kdf.js';
import { rc2CbcEncrypt } from '../../src/pki/pkcs12/rc2.js';
import { makeTempDir, openssl } from '../helpers/index.js';

const LEGACY_PROVIDER = ['-provider', 'legacy', '-provider', 'default'];

test('the PKCS#12 KDF agrees with openssl kdf PKCS12KDF on random inputs', async (t) => {
  const digests: HashName[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
  for (const [index, digest] of digests.entries()) {
    const password = pkcs12Password(randomBytes(randomInt(1, 40)).toString('base64'));
    const salt = randomBytes(randomInt(1, 33));
    const iterations = randomInt(1, 50);
    const purpose = ((index % 3) + 1) as Pkcs12KeyPurposeValue;
    const length = randomInt(1, 150);
    const output = await openssl([
      'kdf',
      '-keylen',
      String(length),
      '-kdfopt',
      `digest:${digest.toUpperCase()}`,
      '-kdfopt',
      `hexpass:${password.bmp.toString('hex')}`,
      '-kdfopt',
      `hexsalt:${salt.toString('hex')}`,
      '-kdfopt',
      `iter:${iterations}`,
      '-kdfopt',
      `id:${purpose}`,
      'PKCS12KDF',
    ]);
    const ours = derivePkcs12Key(
      hashByName(digest),
      password.bmp,
      salt,
      iterations,
      purpose,
      length,
    );
    t.is(ours.toString('hex').toUpperCase(), output.trim().replace(/:/g, ''), digest);
  }
});

test('RC2-CBC agrees with openssl enc (legacy provider) for 40, 64 and 128-bit keys', async (t) => {
  for (const [cipher, keyBytes] of [
    ['rc2-40-cbc', 5],
    ['rc2-64-cbc', 8],
    ['rc2-cbc', 16],
  ] as const) {
    const key = randomBytes(keyBytes);
    const iv = randomBytes(8);
    const data = randomBytes(8 * randomInt(1, 20));
    const dir = await makeTempDir(t);
    const input = join(dir, 'plain.bin');
    const output = join(dir, 'cipher.bin');
    await writeFile(input, data);
    await openssl([
      'enc',
      `-${cipher}`,
      ...LEGACY_PROVIDER,
      '-nopad',
      '-K',
      key.toString('hex'),
      '-iv',
      iv.toString('hex'),
      '-in',
      input,
      '-out',
      output,
    ]);
    t.deepEqual(rc2CbcEncrypt(key, keyBytes * 8, iv, data), await readFile(output), cipher);
  }
});

/** openssl pkcs8 -topk8 arguments for each scheme, and our scheme for the same. */
const SCHEMES: Record<string, { args: string[]; ours: EncryptionScheme }> = {
  'pbeWithSHA1And3-KeyTripleDES-CBC': {
    args: ['-v1', 'PBE-SHA1-3DES'],
    ours: {
      kind: 'pkcs12-pbe',
      scheme: 'pbeWithSHA1And3-KeyTripleDES-CBC',
      iterations: 2048,
      saltBytes: 8,
    },
  },
  'pbeWithSHA1And2-KeyTripleDES-CBC': {
    args: ['-v1', 'PBE-SHA1-2DES'],
    ours: {
      kind: 'pkcs12-pbe',
      scheme: 'pbeWithSHA1And2-KeyTripleDES-CBC',
      iterations: 2048,
      saltBytes: 8,
    },
  },
  'pbeWithSHA1And40BitRC2-CBC': {
    args: ['-v1', 'PBE-SHA1-RC2-40', ...LEGACY_PROVIDER],
    ours: {
      kind: 'pkcs12-pbe',
      scheme: 'pbeWithSHA1And40BitRC2-CBC',
      iterations: 2048,
      saltBytes: 8,
    },
  },
  'pbeWithSHA1And128BitRC2-CBC': {
    args: ['-v1', 'PBE-SHA1-RC2-128', ...LEGACY_PROVIDER],
    ours: {
      kind: 'pkcs12-pbe',
      scheme: 'pbeWithSHA1And128BitRC2-CBC',
      iterations: 2048,
      saltBytes: 8,
    },
  },
  'PBES2 AES-128-CBC, hmacWithSHA1': {
    args: ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1'],
    ours: { kind: 'pbes2', prf: 'sha1', cipher: 'aes-128-cbc', iterations: 2048, saltBytes: 16 },
  },
  'PBES2 AES-192-CBC, hmacWithSHA384': {
    args: ['-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA384'],
    ours: { kind: 'pbes2', prf: 'sha384', cipher: 'aes-192-cbc', iterations: 2048, saltBytes: 16 },
  },
  'PBES2 AES-256-CBC, hmacWithSHA512': {
    args: ['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA512'],
    ours: { kind: 'pbes2', prf: 'sha512', cipher: 'aes-256-cbc', iterations: 2048, saltBytes: 16 },
  },
  'PBES2 3DES, hmacWithSHA256': {
    args: ['-v2', 'des3'],
    ours: { kind: 'pbes2', prf: 'sha256', cipher: 'des-ede3-cbc', iterations: 2048, saltBytes: 16 },
  },
};

const PASS = 'pbe pass – ✓';
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });

for (const [name, scheme] of Object.entries(SCHEMES)) {
  test(`${name}: we decrypt openssl's, openssl decrypts ours`, async (t) => {
    const dir = await makeTempDir(t);
    const plain = join(dir, 'key.der');
    const theirs = join(dir, 'theirs.der');
    const ours = join(dir, 'ours.der');
    await writeFile(plain, pkcs8);
    await openssl([
      'pkcs8',
      '-topk8',
      '-inform',
      'DER',
      '-in',
      plain,
      '-outform',
      'DER',
      '-out',
      theirs,
      '-passout',
      `pass:${PASS}`,
      ...scheme.args,
    ]);
    const info = AsnConvert.parse(await readFile(theirs), EncryptedPrivateKeyInfo);
    const decrypted = decryptWithPassword(
      info.encryptionAlgorithm,
      Buffer.from(info.encryptedData.buffer),
      pkcs12Password(PASS),
      'theirs.der',
    );
    t.deepEqual(decrypted, pkcs8);

    const { algorithm, ciphertext } = encryptWithPassword(scheme.ours, pkcs8, pkcs12Password(PASS));
    const encrypted = new EncryptedPrivateKeyInfo({
      encryptionAlgorithm: algorithm,
      encryptedData: new OctetString(ciphertext),
    });
    await writeFile(ours, Buffer.from(AsnConvert.serialize(encrypted)));
    const provider = scheme.args.includes('legacy') ? LEGACY_PROVIDER : [];
    const output = await openssl([
      'pkcs8',
      '-inform',
      'DER',
      '-in',
      ours,
      '-passin',
      `pass:${PASS}`,
      '-out',
      join(dir, 'back.pem'),
      ...provider,
    ]);
    t.is(output, '');
    t.deepEqual(
      createPrivateKey(await readFile(join(dir, 'back.pem'))).export({
        type: 'pkcs8',
        format: 'der',
      }),
      pkcs8,
    );
  });
}
