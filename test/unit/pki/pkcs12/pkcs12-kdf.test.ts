import test from 'ava';
import { hashByName, type HashName } from '../../../../src/pki/pkcs12/algorithms.js';
import { pkcs12Password } from '../../../../src/pki/pkcs12/password.js';
import {
  derivePkcs12Key,
  type Pkcs12KeyPurposeValue,
} from '../../../../src/pki/pkcs12/pkcs12-kdf.js';

/**
 * Expected values from OpenSSL 3's own implementation:
 *   openssl kdf -keylen N -kdfopt digest:H -kdfopt hexpass:BMP -kdfopt hexsalt:S
 *     -kdfopt iter:I -kdfopt id:ID PKCS12KDF
 * The first two are also the classic test vectors of the PKCS#12 KDF ("smeg").
 */
interface Vector {
  hash: HashName;
  /** The passphrase as text (made a BMPString), or raw password bytes in hex. */
  passphrase: string | { hex: string };
  salt: string;
  iterations: number;
  purpose: Pkcs12KeyPurposeValue;
  expected: string;
}

const VECTORS: Record<string, Vector> = {
  'SHA-1 encryption key (classic vector)': {
    hash: 'sha1',
    passphrase: 'smeg',
    salt: '0a58cf64530d823f',
    iterations: 1,
    purpose: 1,
    expected: '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3',
  },
  'SHA-1 IV (classic vector)': {
    hash: 'sha1',
    passphrase: 'smeg',
    salt: '0a58cf64530d823f',
    iterations: 1,
    purpose: 2,
    expected: '79993dfe048d3b76',
  },
  'SHA-256 MAC key, 1000 iterations': {
    hash: 'sha256',
    passphrase: 'queeg',
    salt: '1682c0fc5b3f7ec5',
    iterations: 1000,
    purpose: 3,
    expected: '2886c84718145a841a2efe4a91a5e48d50f53b8debc34f9883818ccf638e58d3',
  },
  'SHA-512 (128-byte blocks), two output blocks': {
    hash: 'sha512',
    passphrase: 'tlskit',
    salt: '00112233445566778899aabbccddeeff',
    iterations: 3,
    purpose: 1,
    expected:
      '57e682045d321370cc0d40bb85eeadfb9f8f245e8135a722dd8e23b4d0dcc059a4dcfcd6218335c81829c5ac625da4' +
      '603030dd9be7ae030206e6e1ca32ff2f9881aed6430df474ca54cb840ec111a1e5e83a7c89f0672eb0af99a75d5cff' +
      '9c6369c28ead',
  },
  'SHA-1, a password longer than one block, three output blocks': {
    hash: 'sha1',
    passphrase: 'a passphrase longer than one SHA-1 block once it is UTF-16',
    salt: '0102030405060708',
    iterations: 2,
    purpose: 2,
    expected:
      '6eaf25d1350a589924b757b1827745006e6c002fc5bd966f7f99d9d8a76c4e1a1f608d631a228a352a1f8b01d622' +
      '57b6c42e35d6c243328c1b77009c',
  },
  'the empty passphrase (two zero bytes)': {
    hash: 'sha1',
    passphrase: '',
    salt: '0102030405060708',
    iterations: 5,
    purpose: 3,
    expected: 'b31a87e6fd3c104aefcaf62255f655bc57009d24',
  },
  'no password at all (zero bytes)': {
    hash: 'sha1',
    passphrase: { hex: '' },
    salt: '0102030405060708',
    iterations: 5,
    purpose: 3,
    expected: 'caab4e3b7defde3e4d2bdabf5b50fab1aa0ef076',
  },
  'SHA-384, non-ASCII passphrase': {
    hash: 'sha384',
    passphrase: 'bättery – ✓',
    salt: '0102030405060708090a0b0c0d0e0f10',
    iterations: 7,
    purpose: 3,
    expected:
      '19bdaccfcd9c47cca14e6140fe2e4bf8c7027f5050753d4fd3fc7b48d58cc97ffe8dbfc589b23237f7aaa9817b37eb3b',
  },
};

for (const [title, vector] of Object.entries(VECTORS)) {
  test(title, (t) => {
    const password =
      typeof vector.passphrase === 'string'
        ? pkcs12Password(vector.passphrase).bmp
        : Buffer.from(vector.passphrase.hex, 'hex');
    const expected = Buffer.from(vector.expected, 'hex');
    const derived = derivePkcs12Key(
      hashByName(vector.hash),
      password,
      Buffer.from(vector.salt, 'hex'),
      vector.iterations,
      vector.purpose,
      expected.length,
    );
    t.is(derived.toString('hex'), vector.expected);
  });
}

test('the purpose byte separates keys, IVs and MAC keys', (t) => {
  const derive = (purpose: Pkcs12KeyPurposeValue) =>
    derivePkcs12Key(hashByName('sha256'), pkcs12Password('x').bmp, Buffer.alloc(8), 1, purpose, 32);
  t.notDeepEqual(derive(1), derive(2));
  t.notDeepEqual(derive(1), derive(3));
});
