import test from 'ava';
import {
  rc2CbcDecrypt,
  rc2CbcEncrypt,
  rc2DecryptBlock,
  rc2EncryptBlock,
} from '../../../../src/pki/pkcs12/rc2.js';

const hex = (text: string) => Buffer.from(text.replace(/ /g, ''), 'hex');

/** RFC 2268 section 5: key, effective key bits, plaintext, ciphertext. */
const RFC_2268_VECTORS: Array<[string, number, string, string]> = [
  ['00000000 00000000', 63, '00000000 00000000', 'ebb773f9 93278eff'],
  ['ffffffff ffffffff', 64, 'ffffffff ffffffff', '278b27e4 2e2f0d49'],
  ['30000000 00000000', 64, '10000000 00000001', '30649edf 9be7d2c2'],
  ['88', 64, '00000000 00000000', '61a8a244 adacccf0'],
  ['88bca90e 90875a', 64, '00000000 00000000', '6ccf4308 974c267f'],
  ['88bca90e 90875a7f 0f79c384 627bafb2', 64, '00000000 00000000', '1a807d27 2bbe5db1'],
  ['88bca90e 90875a7f 0f79c384 627bafb2', 128, '00000000 00000000', '2269552a b0f85ca6'],
  [
    '88bca90e 90875a7f 0f79c384 627bafb2 16f80a6f 85920584 c42fceb0 be255daf 1e',
    129,
    '00000000 00000000',
    '5b78d3a4 3dfff1f1',
  ],
];

for (const [index, [key, bits, plain, cipher]] of RFC_2268_VECTORS.entries()) {
  test(`RFC 2268 vector #${index + 1}: ${hex(key).length}-byte key, ${bits} effective bits`, (t) => {
    t.deepEqual(rc2EncryptBlock(hex(key), bits, hex(plain)), hex(cipher));
    t.deepEqual(rc2DecryptBlock(hex(key), bits, hex(cipher)), hex(plain));
  });
}

test('CBC matches openssl enc -rc2-40-cbc (legacy provider) on a known input', (t) => {
  // printf 'hello world, rc2 test data!' | openssl enc -rc2-40-cbc -provider legacy
  //   -provider default -K 0102030405 -iv 0001020304050607  (its PKCS#5 padding is 5 x 0x05)
  const plaintext = Buffer.concat([Buffer.from('hello world, rc2 test data!'), Buffer.alloc(5, 5)]);
  const expected = hex('511a3d0aebca506f651277915967b87849bd25e4d98023101924fa0b2420e20e');
  const key = hex('0102030405');
  const iv = hex('0001020304050607');
  t.deepEqual(rc2CbcEncrypt(key, 40, iv, plaintext), expected);
  t.deepEqual(rc2CbcDecrypt(key, 40, iv, expected), plaintext);
});

test('CBC chains blocks: equal plaintext blocks give different ciphertext blocks', (t) => {
  const ciphertext = rc2CbcEncrypt(
    hex('00112233445566778899aabbccddeeff'),
    128,
    Buffer.alloc(8),
    Buffer.alloc(16),
  );
  t.notDeepEqual(ciphertext.subarray(0, 8), ciphertext.subarray(8, 16));
});

test('refuses partial blocks, bad IVs and out-of-range keys', (t) => {
  const key = hex('0102030405');
  t.throws(() => rc2CbcEncrypt(key, 40, Buffer.alloc(8), Buffer.alloc(7)), {
    instanceOf: RangeError,
  });
  t.throws(() => rc2CbcDecrypt(key, 40, Buffer.alloc(7), Buffer.alloc(8)), {
    instanceOf: RangeError,
  });
  t.throws(() => rc2EncryptBlock(Buffer.alloc(0), 40, Buffer.alloc(8)), { instanceOf: RangeError });
  t.throws(() => rc2EncryptBlock(key, 0, Buffer.alloc(8)), { instanceOf: RangeError });
});
