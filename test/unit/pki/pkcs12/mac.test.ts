import test from 'ava';
import { OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { InputError } from '../../../../src/errors.js';
import type { HashName } from '../../../../src/pki/pkcs12/algorithms.js';
import { computeMacData, describeMacData, verifyMacData } from '../../../../src/pki/pkcs12/mac.js';
import { pkcs12Password } from '../../../../src/pki/pkcs12/password.js';

const content = Buffer.from('the AuthenticatedSafe octets');
const password = pkcs12Password('secret');

for (const hash of ['sha1', 'sha256', 'sha384', 'sha512'] as HashName[]) {
  test(`HMAC-${hash}: verifies with the password, not with another or over other content`, (t) => {
    const macData = computeMacData({ hash, iterations: 100, saltBytes: 8 }, content, password);
    t.true(verifyMacData(macData, content, password, 'x.p12'));
    t.false(verifyMacData(macData, content, pkcs12Password('Secret'), 'x.p12'));
    t.false(verifyMacData(macData, Buffer.from('other octets'), password, 'x.p12'));
    t.deepEqual(describeMacData(macData, 'x.p12'), {
      algorithm: hash,
      iterations: 100,
      saltBytes: 8,
      supported: true,
    });
  });
}

test('a flipped MAC byte does not verify', (t) => {
  const macData = computeMacData(
    { hash: 'sha256', iterations: 1, saltBytes: 8 },
    content,
    password,
  );
  const digest = Buffer.from(macData.mac.digest.buffer);
  digest[0] = (digest[0] as number) ^ 0x01;
  macData.mac.digest = new OctetString(digest);
  t.false(verifyMacData(macData, content, password, 'x.p12'));
});

test('an unknown MAC algorithm is an InputError naming it', (t) => {
  const macData = computeMacData(
    { hash: 'sha256', iterations: 1, saltBytes: 8 },
    content,
    password,
  );
  macData.mac.digestAlgorithm = new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.5.14' });
  t.throws(() => verifyMacData(macData, content, password, 'x.p12'), {
    instanceOf: InputError,
    message: /^x\.p12: the MAC: unsupported algorithm PBMAC1/,
  });
  t.false(describeMacData(macData, 'x.p12').supported);
});
