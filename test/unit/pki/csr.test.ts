import test from 'ava';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { InputError, UsageError } from '../../../src/errors.js';
import { encodePem } from '../../../src/io/pem.js';
import { keysMatch } from '../../../src/pki/keys.js';
import { createCsr, readCsr } from '../../../src/pki/csr.js';
import { encodeName, parseSubject } from '../../../src/pki/name.js';
import { parseSan } from '../../../src/pki/san.js';
import { fixturesDir } from '../../helpers/index.js';

const SUBJECT = parseSubject('/C=UK/ST=Acknack Ltd/O=node.js/CN=localhost');
const SANS = ['localhost', '*.example.com', '127.0.0.1', '::1', 'admin@example.com'].map(parseSan);

// Generated once: RSA key generation is the slow part of these tests.
const keys: Record<string, KeyObject> = {
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  'ec P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  'ec P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
  'ec P-521': generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey,
  ed25519: generateKeyPairSync('ed25519').privateKey,
  ed448: generateKeyPairSync('ed448').privateKey,
};

const defaultAlgorithms: Record<string, string> = {
  rsa: 'sha256WithRSAEncryption',
  'ec P-256': 'ecdsa-with-SHA256',
  'ec P-384': 'ecdsa-with-SHA384',
  'ec P-521': 'ecdsa-with-SHA512',
  ed25519: 'ED25519',
  ed448: 'ED448',
};

for (const [name, key] of Object.entries(keys)) {
  test(`createCsr → readCsr round trip (${name})`, (t) => {
    const csr = createCsr({ key, subject: SUBJECT, sans: SANS });
    t.true(csr.pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n'));
    for (const input of [csr.der, Buffer.from(csr.pem)]) {
      const request = readCsr(input, 'test.csr');
      t.true(request.signatureValid);
      t.is(request.signatureAlgorithm.name, defaultAlgorithms[name] ?? 'missing from the table');
      t.is(request.subjectText, 'C=UK, ST=Acknack Ltd, O=node.js, CN=localhost');
      t.deepEqual(request.sans, SANS);
      t.true(keysMatch(key, request.publicKey));
      t.deepEqual(request.der, csr.der);
      t.is(request.requestedExtensions.length, 1);
      t.false(request.requestedExtensions[0]?.critical);
    }
  });

  test(`a tampered request no longer verifies (${name})`, (t) => {
    const csr = createCsr({ key, subject: SUBJECT, sans: SANS });
    // Change the "localhost" CN to "locaLhost": still well-formed, no longer what was signed.
    const tampered = Buffer.from(csr.der);
    const at = tampered.indexOf('localhost');
    tampered[at + 4] = 'L'.charCodeAt(0);
    const request = readCsr(tampered, 'tampered.csr');
    t.false(request.signatureValid);
    t.regex(request.subjectText, /CN=locaLhost/);
    // And a flipped bit in the signature itself.
    const badSignature = Buffer.from(csr.der);
    badSignature[badSignature.length - 2] = (badSignature[badSignature.length - 2] as number) ^ 1;
    t.false(readBadSignature(badSignature));
  });
}

/** A corrupted ECDSA signature may no longer be valid DER: false or an InputError both do. */
function readBadSignature(der: Buffer): boolean {
  try {
    return readCsr(der, 'bad-signature.csr').signatureValid;
  } catch (error) {
    if (error instanceof InputError) return false;
    throw error;
  }
}

test('an explicit digest is used', (t) => {
  const csr = createCsr({ key: keys.rsa as KeyObject, subject: SUBJECT, digest: 'sha512' });
  t.is(readCsr(csr.der, 'x').signatureAlgorithm.name, 'sha512WithRSAEncryption');
  const ec = createCsr({ key: keys['ec P-256'] as KeyObject, subject: SUBJECT, digest: 'sha384' });
  t.is(readCsr(ec.der, 'x').signatureAlgorithm.name, 'ecdsa-with-SHA384');
});

test('a digest with an EdDSA key is a usage error', (t) => {
  t.throws(
    () => createCsr({ key: keys.ed25519 as KeyObject, subject: SUBJECT, digest: 'sha256' }),
    {
      instanceOf: UsageError,
    },
  );
});

test('RSA signature AlgorithmIdentifier has NULL parameters, ECDSA none', (t) => {
  const rsa = createCsr({ key: keys.rsa as KeyObject, subject: SUBJECT }).der;
  // SEQUENCE { OID sha256WithRSAEncryption, NULL } after the signed info.
  t.true(rsa.includes(Buffer.from('300d06092a864886f70d01010b0500', 'hex')));
  const ec = createCsr({ key: keys['ec P-256'] as KeyObject, subject: SUBJECT }).der;
  t.true(ec.includes(Buffer.from('300a06082a8648ce3d040302', 'hex')));
});

test('without SANs: no extensions, and the attributes field is present but empty', (t) => {
  const csr = createCsr({ key: keys['ec P-256'] as KeyObject, subject: SUBJECT });
  const request = readCsr(csr.der, 'x');
  t.deepEqual(request.requestedExtensions, []);
  t.deepEqual(request.sans, []);
  t.true(request.signatureValid);
  // RFC 2986 attributes [0] IMPLICIT SET: OpenSSL writes A0 00 when there are none.
  const infoEnd = csr.der.indexOf(Buffer.from('a000', 'hex'));
  t.true(infoEnd > 0);
});

test('an empty subject makes the SAN extension critical (RFC 5280 4.2.1.6)', (t) => {
  const csr = createCsr({ key: keys.ed25519 as KeyObject, subject: [], sans: SANS });
  const request = readCsr(csr.der, 'x');
  t.is(request.subjectText, '');
  t.true(request.requestedExtensions[0]?.critical);
  t.deepEqual(request.sans, SANS);
});

test('an empty subject without SANs is refused', (t) => {
  t.throws(() => createCsr({ key: keys.ed25519 as KeyObject, subject: [] }), {
    instanceOf: InputError,
    message: /neither a subject nor a subject alternative name/,
  });
});

test('a public key cannot sign', (t) => {
  const { publicKey } = generateKeyPairSync('ed25519');
  t.throws(() => createCsr({ key: publicKey, subject: SUBJECT }), { instanceOf: UsageError });
});

test('the subject is carried exactly as encoded', (t) => {
  const subject = parseSubject('/C=UK/O=node.js/CN=a+UID=b/emailAddress=x@example.com');
  const csr = createCsr({ key: keys['ec P-256'] as KeyObject, subject });
  const request = readCsr(csr.der, 'x');
  t.deepEqual(
    Buffer.from(AsnConvert.serialize(request.subject)),
    Buffer.from(AsnConvert.serialize(encodeName(subject))),
  );
});

test('the old NEW CERTIFICATE REQUEST label is read', (t) => {
  const csr = createCsr({ key: keys['ec P-256'] as KeyObject, subject: SUBJECT });
  const request = readCsr(Buffer.from(encodePem('NEW CERTIFICATE REQUEST', csr.der)), 'x');
  t.true(request.signatureValid);
});

test('text around the PEM block is ignored, as openssl does', (t) => {
  const csr = createCsr({ key: keys['ec P-256'] as KeyObject, subject: SUBJECT });
  const text = `Certificate Request:\n    Data: ...\n${csr.pem}trailing notes\n`;
  t.true(readCsr(Buffer.from(text), 'x').signatureValid);
});

const malformed: ReadonlyArray<[string, () => Uint8Array, RegExp]> = [
  [
    'garbage',
    () => Buffer.from('this is not a certificate request'),
    /^junk\.csr is not a valid certificate request \(not a DER SEQUENCE\)/,
  ],
  [
    'random bytes',
    () => Buffer.from('308201aabbccdd', 'hex'),
    /^junk\.csr is not a valid certificate request \(truncated\)/,
  ],
  [
    'truncated DER',
    () => validDer().subarray(0, 100),
    /^junk\.csr is not a valid certificate request \(truncated\)/,
  ],
  [
    'trailing data',
    () => Buffer.concat([validDer(), Buffer.from([0])]),
    /1 bytes after the request/,
  ],
  [
    'a SEQUENCE of the wrong shape',
    () => Buffer.from('3003020100', 'hex'),
    /^junk\.csr is not a valid certificate request/,
  ],
  [
    'truncated PEM',
    () =>
      Buffer.from(encodePem('CERTIFICATE REQUEST', validDer()).split('\n').slice(0, 5).join('\n')),
    /^junk\.csr: PEM block CERTIFICATE REQUEST is truncated/,
  ],
  [
    'a certificate',
    () => readFileSync(join(fixturesDir, 'openssl-csr/openssl.req-x509.p256.cert.pem')),
    /^junk\.csr holds CERTIFICATE, not a certificate request/,
  ],
  [
    'a private key',
    () => Buffer.from((keys['ec P-256'] as KeyObject).export({ type: 'pkcs8', format: 'pem' })),
    /^junk\.csr holds PRIVATE KEY, not a certificate request/,
  ],
];

function validDer(): Buffer {
  return createCsr({ key: keys['ec P-256'] as KeyObject, subject: SUBJECT, sans: SANS }).der;
}

for (const [what, make, message] of malformed) {
  test(`readCsr rejects ${what} naming the source`, (t) => {
    const error = t.throws(() => readCsr(make(), 'junk.csr'), { instanceOf: InputError, message });
    t.notRegex(error?.message ?? '', /\n/, 'one line');
  });
}

test('an unsupported signature algorithm is an input error', (t) => {
  const der = createCsr({ key: keys.rsa as KeyObject, subject: SUBJECT }).der;
  // Turn the outer sha256WithRSAEncryption (…01 01 0b) into RSASSA-PSS (…01 01 0a).
  const oid = Buffer.from('2a864886f70d01010b', 'hex');
  const at = der.lastIndexOf(oid);
  der[at + oid.length - 1] = 0x0a;
  t.throws(() => readCsr(der, 'pss.csr'), {
    instanceOf: InputError,
    message: /^pss\.csr: unsupported signature algorithm 1\.2\.840\.113549\.1\.1\.10/,
  });
});

test('a version other than v1 is an input error', (t) => {
  const der = createCsr({ key: keys.ed25519 as KeyObject, subject: SUBJECT }).der;
  // The first INTEGER (02 01 00) is the version.
  const at = der.indexOf(Buffer.from('020100', 'hex'));
  der[at + 2] = 0x02;
  t.throws(() => readCsr(der, 'v3.csr'), {
    instanceOf: InputError,
    message: /version 3 is unknown/,
  });
});

interface OpensslFixture {
  file: string;
  subjectText: string;
  sans: string[];
  signatureAlgorithm: string;
  criticalSan?: boolean;
}

// Made by fixtures/openssl-csr/make.sh with the real openssl CLI.
const opensslFixtures: OpensslFixture[] = [
  {
    file: 'openssl.req.rsa.csr.pem',
    subjectText: 'C=UK, ST=Acknack Ltd, O=node.js, CN=localhost',
    sans: [
      'DNS:localhost',
      'DNS:*.example.com',
      'IP:127.0.0.1',
      'IP:2001:db8::1',
      'email:admin@example.com',
      'URI:https://example.com/',
    ],
    signatureAlgorithm: 'sha256WithRSAEncryption',
  },
  {
    file: 'openssl.req.rsa.newhdr.csr.pem',
    subjectText: 'C=UK, ST=Acknack Ltd, O=node.js, CN=localhost',
    sans: [
      'DNS:localhost',
      'DNS:*.example.com',
      'IP:127.0.0.1',
      'IP:2001:db8::1',
      'email:admin@example.com',
      'URI:https://example.com/',
    ],
    signatureAlgorithm: 'sha256WithRSAEncryption',
  },
  {
    // otherName and registeredID are skipped in sans (still in requestedExtensions).
    file: 'openssl.req.p256.csr.pem',
    subjectText: 'O=Example, CN=multi + UID=user1',
    sans: ['DNS:ec.example'],
    signatureAlgorithm: 'ecdsa-with-SHA256',
  },
  {
    file: 'openssl.req.p384.csr.der',
    subjectText: '',
    sans: ['DNS:nosubject.example'],
    signatureAlgorithm: 'ecdsa-with-SHA384',
    criticalSan: true,
  },
  {
    file: 'openssl.req.ed25519.csr.pem',
    subjectText: 'C=DE, O=Bücher GmbH, CN=Grüße',
    sans: [],
    signatureAlgorithm: 'ED25519',
  },
  {
    file: 'openssl.req.ed448.csr.pem',
    subjectText: 'CN=ed448.example',
    sans: ['DNS:ed448.example'],
    signatureAlgorithm: 'ED448',
  },
];

for (const fixture of opensslFixtures) {
  test(`reads ${fixture.file}`, (t) => {
    const request = readCsr(
      readFileSync(join(fixturesDir, 'openssl-csr', fixture.file)),
      fixture.file,
    );
    t.true(request.signatureValid);
    t.is(request.subjectText, fixture.subjectText);
    t.deepEqual(request.sans, fixture.sans.map(parseSan));
    t.is(request.signatureAlgorithm.name, fixture.signatureAlgorithm);
    const san = request.requestedExtensions.find((extension) => extension.extnID === '2.5.29.17');
    t.is(san?.critical ?? false, fixture.criticalSan ?? false);
  });
}
