import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentInfo } from '@peculiar/asn1-cms';
import {
  AuthenticatedSafe,
  id_pkcs8ShroudedKeyBag,
  PFX,
  SafeBag,
  SafeContents,
} from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { InputError, WrongPassphraseError } from '../../../../src/errors.js';
import { decodePem } from '../../../../src/io/pem.js';
import { computeMacData } from '../../../../src/pki/pkcs12/mac.js';
import { pkcs12Password } from '../../../../src/pki/pkcs12/password.js';
import { encryptWithPassword } from '../../../../src/pki/pkcs12/pbe.js';
import { parsePfx, readPfx } from '../../../../src/pki/pkcs12/pfx-read.js';
import { fixturesDir } from '../../../helpers/index.js';

/*
 * Files made by openssl and keytool (fixtures/pkcs12/make.sh): tlskit must recover exactly the
 * key and certificates the tool was given, whatever algorithms it used.
 */

const dir = join(fixturesDir, 'pkcs12');
const PASS = 'fixture-pass';
const fixture = (name: string) => readFile(join(dir, name));
const pemDer = async (name: string) =>
  decodePem(await readFile(join(dir, name), 'utf8')).map((block) => block.der);

const opensslFiles: Record<string, { key: string; certificates: string[]; mac: boolean }> = {
  'openssl.modern.p12': { key: 'leaf', certificates: ['leaf', 'ca'], mac: true },
  'openssl.legacy.p12': { key: 'leaf', certificates: ['leaf', 'ca'], mac: true },
  'openssl.legacy-rsa.p12': { key: 'rsa', certificates: ['rsa'], mac: true },
  'openssl.2des-rc2-128.p12': { key: 'leaf', certificates: ['leaf', 'ca'], mac: true },
  'openssl.aes128-aes192-sha512.p12': { key: 'leaf', certificates: ['leaf', 'ca'], mac: true },
  'openssl.pbes2-3des-sha384.p12': { key: 'leaf', certificates: ['leaf', 'ca'], mac: true },
  'openssl.nomac.p12': { key: 'leaf', certificates: ['leaf', 'ca'], mac: false },
  'openssl.unencrypted.p12': { key: 'leaf', certificates: ['leaf', 'ca'], mac: true },
};

for (const [name, expected] of Object.entries(opensslFiles)) {
  test(`${name}: the key and certificates openssl was given, byte for byte`, async (t) => {
    const contents = await readPfx(await fixture(name), {
      source: name,
      passphrase: async () => PASS,
    });
    const [keyDer] = await pemDer(`openssl.${expected.key}.key.pem`);
    t.is(contents.keys.length, 1);
    t.deepEqual(contents.keys[0]?.pkcs8, keyDer);
    const certificates = await Promise.all(
      expected.certificates.map(async (which) => (await pemDer(`openssl.${which}.cert.pem`))[0]),
    );
    t.deepEqual(
      contents.certificates.map((certificate) => certificate.der),
      certificates,
    );
    t.is(contents.macVerified, expected.mac);
  });
}

test('the empty password, as openssl -passout pass: writes it', async (t) => {
  const contents = await readPfx(await fixture('openssl.empty-password.p12'), {
    source: 'empty.p12',
    passphrase: async () => '',
  });
  t.is(contents.keys.length, 1);
  t.is(contents.certificates.length, 2);
});

for (const kind of ['modern', 'legacy']) {
  test(`keytool.${kind}.p12: keytool's own key and the certificate it exports`, async (t) => {
    const contents = await readPfx(await fixture(`keytool.${kind}.p12`), {
      source: 'keytool.p12',
      passphrase: async () => PASS,
    });
    const [certificate] = await pemDer(`keytool.${kind}.cert.pem`);
    t.deepEqual(
      contents.certificates.map((entry) => entry.der),
      [certificate],
    );
    const [key] = contents.keys;
    t.is(key?.friendlyName, 'fixture');
    t.true(new X509Certificate(certificate as Buffer).checkPrivateKey(key?.key as never));
  });
}

test('friendlyName and localKeyID, as openssl writes them', async (t) => {
  const contents = await readPfx(await fixture('openssl.modern.p12'), {
    source: 'm.p12',
    passphrase: async () => PASS,
  });
  const [key] = contents.keys;
  const [leaf, ca] = contents.certificates;
  t.is(key?.friendlyName, 'leaf');
  t.is(leaf?.friendlyName, 'leaf');
  t.deepEqual(key?.localKeyId, leaf?.localKeyId);
  t.is(ca?.friendlyName, null);
  t.is(ca?.localKeyId, null);
});

test('a wrong passphrase fails the MAC: WrongPassphraseError, and nothing decrypted', async (t) => {
  let asked = 0;
  await t.throwsAsync(
    readPfx(await fixture('openssl.legacy.p12'), {
      source: 'l.p12',
      passphrase: async () => {
        asked++;
        return 'not-it';
      },
    }),
    {
      instanceOf: WrongPassphraseError,
      message: 'wrong passphrase for l.p12 (the MAC does not verify)',
    },
  );
  t.is(asked, 1);
});

test('without a MAC, a wrong passphrase is still a WrongPassphraseError', async (t) => {
  await t.throwsAsync(
    readPfx(await fixture('openssl.nomac.p12'), {
      source: 'n.p12',
      passphrase: async () => 'not-it',
    }),
    { instanceOf: WrongPassphraseError, message: /^wrong passphrase for n\.p12 \(/ },
  );
});

test('a flipped byte inside the MAC-covered contents fails the MAC, not the parser', async (t) => {
  const data = await fixture('openssl.modern.p12');
  const structure = parsePfx(data, 'x.p12');
  const offset = data.indexOf(structure.authenticatedSafe.subarray(-40));
  t.true(offset > 0);
  data[offset + 10] = (data[offset + 10] as number) ^ 0x01;
  await t.throwsAsync(readPfx(data, { source: 'x.p12', passphrase: async () => PASS }), {
    instanceOf: WrongPassphraseError,
  });
});

const notPkcs12: Record<string, [Buffer, RegExp]> = {
  'a PEM file': [
    Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    /is PEM text, not a PKCS#12 file/,
  ],
  'random bytes': [Buffer.from('not DER at all, just text'), /is not a PKCS#12 file$/],
  'a truncated file': [
    Buffer.from([0x30, 0x82, 0x04, 0x00, 0x02, 0x01, 0x03]),
    /is truncated \(7 of 1028 bytes\)/,
  ],
  'another DER structure': [
    Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]),
    /is not a PKCS#12 file \(damaged/,
  ],
};

for (const [title, [data, message]] of Object.entries(notPkcs12)) {
  test(`${title} is an InputError naming the file`, (t) => {
    const error = t.throws(() => parsePfx(data, 'x.p12'), { instanceOf: InputError });
    t.regex(error?.message ?? '', /^x\.p12 /);
    t.regex(error?.message ?? '', message);
  });
}

test('version 2 is refused', async (t) => {
  const data = await fixture('openssl.modern.p12');
  // SEQUENCE (4-byte header), then INTEGER 3: 02 01 03.
  t.deepEqual([...data.subarray(4, 7)], [0x02, 0x01, 0x03]);
  data[6] = 2;
  t.throws(() => parsePfx(data, 'x.p12'), { instanceOf: InputError, message: /version 2/ });
});

// ---- a MAC that verifies over contents that do not decrypt ---------------------------------

/** A PFX of one pkcs8ShroudedKeyBag holding `ciphertext`, with a MAC made with `password`. */
function pfxWithKeyBag(plaintext: Buffer, encryptWith: string, macWith: string): Buffer {
  const scheme = {
    kind: 'pbes2',
    prf: 'sha256',
    cipher: 'aes-256-cbc',
    iterations: 1,
    saltBytes: 8,
  } as const;
  const { algorithm, ciphertext } = encryptWithPassword(
    scheme,
    plaintext,
    pkcs12Password(encryptWith),
  );
  const bag = new SafeBag({
    bagId: id_pkcs8ShroudedKeyBag,
    bagValue: AsnConvert.serialize(
      new EncryptedPrivateKeyInfo({
        encryptionAlgorithm: algorithm,
        encryptedData: new OctetString(ciphertext),
      }),
    ),
  });
  const data = (der: ArrayBuffer) =>
    new ContentInfo({
      contentType: '1.2.840.113549.1.7.1',
      content: AsnConvert.serialize(new OctetString(der)),
    });
  const authenticatedSafe = AsnConvert.serialize(
    new AuthenticatedSafe([data(AsnConvert.serialize(new SafeContents([bag])))]),
  );
  const pfx = new PFX({
    version: 3,
    authSafe: data(authenticatedSafe),
    macData: computeMacData(
      { hash: 'sha256', iterations: 1, saltBytes: 8 },
      new Uint8Array(authenticatedSafe),
      pkcs12Password(macWith),
    ),
  });
  return Buffer.from(AsnConvert.serialize(pfx));
}

test('MAC verifies but the key bag decrypts to garbage: a damaged file, not a wrong passphrase', async (t) => {
  const data = pfxWithKeyBag(Buffer.from('this is not a PKCS#8 key'), 'right', 'right');
  const error = await t.throwsAsync(
    readPfx(data, { source: 'd.p12', passphrase: async () => 'right' }),
    {
      instanceOf: InputError,
      message:
        /^d\.p12: AuthenticatedSafe entry #1, bag #1 does not hold a valid PKCS#8 private key \(the MAC verifies: the file is damaged\)$/,
    },
  );
  t.false(error instanceof WrongPassphraseError);
});

test('MAC verifies but the key bag was encrypted with another password: damaged', async (t) => {
  const data = pfxWithKeyBag(Buffer.from('whatever'), 'other', 'right');
  const error = await t.throwsAsync(
    readPfx(data, { source: 'd.p12', passphrase: async () => 'right' }),
    {
      instanceOf: InputError,
      message:
        /bag #1 does not (decrypt|hold a valid PKCS#8 private key) \(the MAC verifies: the file is damaged\)$/,
    },
  );
  t.false(error instanceof WrongPassphraseError);
});
