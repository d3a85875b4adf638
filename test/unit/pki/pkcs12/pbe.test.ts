import test from 'ava';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { InputError } from '../../../../src/errors.js';
import { pkcs12Password } from '../../../../src/pki/pkcs12/password.js';
import {
  decryptWithPassword,
  describePasswordEncryption,
  encryptWithPassword,
  MAX_PKCS12_KDF_ITERATIONS,
  passwordEncryptionText,
  type EncryptionScheme,
} from '../../../../src/pki/pkcs12/pbe.js';
import { Pkcs12PbeParameters } from '../../../../src/pki/pkcs12/schema.js';

/** Deterministic "randomness", so every run encrypts the same way. */
const counting = (size: number) => Buffer.from(Array.from({ length: size }, (_, index) => index));
const plaintext = Buffer.from('a PKCS#8 PrivateKeyInfo would be here; any length works.');
const right = pkcs12Password('right passphrase');
const wrong = pkcs12Password('wrong passphrase');

const SCHEMES: Record<string, EncryptionScheme> = {
  'PBES2 AES-256-CBC, HMAC-SHA256': {
    kind: 'pbes2',
    prf: 'sha256',
    cipher: 'aes-256-cbc',
    iterations: 2048,
    saltBytes: 16,
  },
  'PBES2 AES-128-CBC, HMAC-SHA1': {
    kind: 'pbes2',
    prf: 'sha1',
    cipher: 'aes-128-cbc',
    iterations: 10,
    saltBytes: 8,
  },
  'PBES2 3DES, HMAC-SHA512': {
    kind: 'pbes2',
    prf: 'sha512',
    cipher: 'des-ede3-cbc',
    iterations: 10,
    saltBytes: 8,
  },
  '3DES (PKCS#12 PBE)': {
    kind: 'pkcs12-pbe',
    scheme: 'pbeWithSHA1And3-KeyTripleDES-CBC',
    iterations: 2048,
    saltBytes: 8,
  },
  '2-key 3DES (PKCS#12 PBE)': {
    kind: 'pkcs12-pbe',
    scheme: 'pbeWithSHA1And2-KeyTripleDES-CBC',
    iterations: 10,
    saltBytes: 8,
  },
  'RC2-40 (PKCS#12 PBE)': {
    kind: 'pkcs12-pbe',
    scheme: 'pbeWithSHA1And40BitRC2-CBC',
    iterations: 2048,
    saltBytes: 8,
  },
  'RC2-128 (PKCS#12 PBE)': {
    kind: 'pkcs12-pbe',
    scheme: 'pbeWithSHA1And128BitRC2-CBC',
    iterations: 10,
    saltBytes: 8,
  },
};

for (const [title, scheme] of Object.entries(SCHEMES)) {
  test(`${title}: round trip, and the wrong password does not decrypt`, (t) => {
    const { algorithm, ciphertext } = encryptWithPassword(scheme, plaintext, right, counting);
    t.not(ciphertext.indexOf(plaintext.subarray(0, 16)), 0);
    t.deepEqual(decryptWithPassword(algorithm, ciphertext, right, 'test'), plaintext);
    // With fixed salts and IVs this is deterministic; a wrong password's padding is wrong here.
    t.is(decryptWithPassword(algorithm, ciphertext, wrong, 'test'), undefined);
    const described = describePasswordEncryption(algorithm, 'test');
    t.true(described.supported);
    t.is(described.iterations, scheme.iterations);
    t.is(described.saltBytes, scheme.saltBytes);
    t.is(described.legacy, scheme.kind === 'pkcs12-pbe');
  });
}

test('damaged ciphertext does not decrypt: cut, or not whole blocks', (t) => {
  const { algorithm, ciphertext } = encryptWithPassword(
    SCHEMES['3DES (PKCS#12 PBE)'] as EncryptionScheme,
    plaintext,
    right,
    counting,
  );
  t.is(decryptWithPassword(algorithm, ciphertext.subarray(0, 12), right, 'test'), undefined);
  t.is(decryptWithPassword(algorithm, Buffer.alloc(0), right, 'test'), undefined);
});

test('describes PBES2 in openssl words', (t) => {
  const { algorithm } = encryptWithPassword(
    SCHEMES['PBES2 AES-256-CBC, HMAC-SHA256'] as EncryptionScheme,
    plaintext,
    right,
    counting,
  );
  t.is(
    passwordEncryptionText(describePasswordEncryption(algorithm, 'test')),
    'PBES2, PBKDF2 with hmacWithSHA256, aes-256-cbc, 2048 iterations',
  );
});

test('RC2 is flagged as needing OpenSSL 3 legacy provider; 3DES is not', (t) => {
  const describe = (name: string) => {
    const { algorithm } = encryptWithPassword(
      SCHEMES[name] as EncryptionScheme,
      plaintext,
      right,
      counting,
    );
    return describePasswordEncryption(algorithm, 'test');
  };
  t.true(describe('RC2-40 (PKCS#12 PBE)').needsLegacyProvider);
  t.false(describe('3DES (PKCS#12 PBE)').needsLegacyProvider);
});

test('an unknown algorithm is an InputError naming its OID', (t) => {
  const algorithm = new AlgorithmIdentifier({ algorithm: '1.2.3.4.5', parameters: null });
  const error = t.throws(() => decryptWithPassword(algorithm, plaintext, right, 'x.p12: bag #1'), {
    instanceOf: InputError,
  });
  t.regex(error?.message ?? '', /^x\.p12: bag #1: unknown algorithm 1\.2\.3\.4\.5$/);
});

test('a known but unsupported algorithm is named', (t) => {
  const rc4 = new AlgorithmIdentifier({
    algorithm: '1.2.840.113549.1.12.1.1',
    parameters: AsnConvert.serialize(
      new Pkcs12PbeParameters({ salt: new ArrayBuffer(8), iterations: 1 }),
    ),
  });
  t.throws(() => decryptWithPassword(rc4, plaintext, right, 'x.p12'), {
    instanceOf: InputError,
    message: /pbeWithSHA1And128BitRC4 \(1\.2\.840\.113549\.1\.12\.1\.1\)/,
  });
  t.false(describePasswordEncryption(rc4, 'x.p12').supported);
});

test('refuses iteration counts made to stall the reader, before deriving anything', (t) => {
  const parameters = new Pkcs12PbeParameters({
    salt: new ArrayBuffer(8),
    iterations: MAX_PKCS12_KDF_ITERATIONS + 1,
  });
  const algorithm = new AlgorithmIdentifier({
    algorithm: '1.2.840.113549.1.12.1.3',
    parameters: AsnConvert.serialize(parameters),
  });
  t.throws(() => decryptWithPassword(algorithm, Buffer.alloc(8), right, 'x.p12'), {
    instanceOf: InputError,
    message: /iteration count/,
  });
});

test('malformed parameters are an InputError, never a bare TypeError', (t) => {
  const algorithm = new AlgorithmIdentifier({
    algorithm: '1.2.840.113549.1.5.13',
    parameters: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01).buffer,
  });
  t.throws(() => decryptWithPassword(algorithm, Buffer.alloc(16), right, 'x.p12'), {
    instanceOf: InputError,
    message: /malformed PBES2 parameters/,
  });
});
