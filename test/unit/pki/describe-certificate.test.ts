import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Certificate } from '@peculiar/asn1-x509';
import { AsnParser } from '@peculiar/asn1-schema';
import { InputError } from '../../../src/errors.js';
import { decodePem } from '../../../src/io/pem.js';
import {
  describeCertificate,
  validityOf,
  type CertificateDescription,
} from '../../../src/pki/describe/certificate.js';
import { nameObjectOf } from '../../../src/pki/describe/names.js';
import { fixturesDir } from '../../helpers/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');

async function certificateDer(name: string): Promise<Buffer> {
  const data = await readFile(join(fixturesDir, 'inspect', name));
  return name.endsWith('.der') ? data : (decodePem(data.toString('utf8'))[0]?.der as Buffer);
}

async function describe(name: string, now = NOW): Promise<CertificateDescription> {
  return describeCertificate(await certificateDer(name), { source: name, now });
}

function extensionValue(certificate: CertificateDescription, name: string): unknown {
  return certificate.extensions.find((extension) => extension.name === name)?.value;
}

const CERTIFICATES = [
  'openssl.rsa2048.cert.pem',
  'openssl.p256-leaf.cert.pem',
  'openssl.p256-intermediate.cert.pem',
  'openssl.p384-root.cert.pem',
  'openssl.ed25519.cert.pem',
];

for (const name of CERTIFICATES) {
  test(`${name}: Node's getPeerCertificate() fields are there under Node's names`, async (t) => {
    const der = await certificateDer(name);
    const legacy = new X509Certificate(der).toLegacyObject();
    const described = describeCertificate(der, { source: name, now: NOW });
    t.deepEqual(described.subject, { ...legacy.subject });
    t.deepEqual(described.issuer, { ...legacy.issuer });
    for (const field of [
      'subjectaltname',
      'ca',
      'bits',
      'exponent',
      'modulus',
      'asn1Curve',
      'nistCurve',
      'valid_from',
      'valid_to',
      'serialNumber',
      'fingerprint',
      'fingerprint256',
      'fingerprint512',
      'ext_key_usage',
    ] as const) {
      t.deepEqual(described[field], legacy[field], field);
    }
    t.is(described.pubkey, legacy.pubkey?.toString('hex'));
    t.false('raw' in described);
  });

  test(`${name}: the description survives JSON unchanged (no Buffers, no Dates)`, async (t) => {
    const described = await describe(name);
    t.deepEqual(JSON.parse(JSON.stringify(described)), described);
  });

  test(`${name}: the CSR/CRL name builder gives Node's subject object`, async (t) => {
    const der = await certificateDer(name);
    const structure = AsnParser.parse(der, Certificate);
    t.deepEqual(nameObjectOf(structure.tbsCertificate.subject), {
      ...new X509Certificate(der).toLegacyObject().subject,
    });
  });
}

test('an RSA certificate: version, signature algorithm, key, self-signed', async (t) => {
  const certificate = await describe('openssl.rsa2048.cert.pem');
  t.is(certificate.version, 3);
  t.is(certificate.signatureAlgorithm, 'sha256WithRSAEncryption');
  t.is(certificate.signatureAlgorithmOid, '1.2.840.113549.1.1.11');
  t.is(certificate.keyType, 'rsa');
  t.is(certificate.bits, 2048);
  t.is(certificate.exponent, '0x10001');
  t.true(certificate.selfSigned);
  t.is(certificate.serialNumber, '1001');
  t.regex(certificate.publicKeySha256, /^[0-9a-f]{64}$/);
  t.is(
    certificate.subjectString,
    'C=UK, ST=London, L=Islington, O=tlskit fixtures, OU=Test\\, Inspect, CN=localhost',
  );
});

test('validity against a pinned clock: days left, expired, not yet valid', async (t) => {
  const valid = await describe('openssl.p256-leaf.cert.pem');
  t.deepEqual(valid.validity, {
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2026-07-20T00:00:00.000Z',
    daysLeft: 49,
    expired: false,
    notYetValid: false,
  });
  const expired = await describe('openssl.p256-leaf.cert.pem', new Date('2026-07-22T12:00:00Z'));
  t.true(expired.validity.expired);
  t.is(expired.validity.daysLeft, -3);
  const early = await describe('openssl.p256-leaf.cert.pem', new Date('2025-12-31T00:00:00Z'));
  t.true(early.validity.notYetValid);
  t.false(early.validity.expired);
});

test('validityOf counts whole days, rounding down', (t) => {
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2026-01-11T00:00:00Z');
  t.is(validityOf(notBefore, notAfter, new Date('2026-01-01T00:00:01Z')).daysLeft, 9);
  t.is(validityOf(notBefore, notAfter, new Date('2026-01-01T00:00:00Z')).daysLeft, 10);
  t.is(validityOf(notBefore, notAfter, notAfter).expired, false);
});

test('a leaf with every common extension decodes each one', async (t) => {
  const leaf = await describe('openssl.p256-leaf.cert.pem');
  t.false(leaf.selfSigned);
  t.is(leaf.signatureAlgorithm, 'ecdsa-with-SHA256');
  t.deepEqual(extensionValue(leaf, 'basicConstraints'), { ca: false, pathLen: null });
  t.deepEqual(extensionValue(leaf, 'keyUsage'), ['digitalSignature']);
  t.deepEqual(extensionValue(leaf, 'extendedKeyUsage'), ['serverAuth', 'clientAuth']);
  t.deepEqual(extensionValue(leaf, 'subjectAltName'), [
    { type: 'dns', value: 'www.example.test' },
    { type: 'dns', value: '*.api.example.test' },
    { type: 'ip', value: '10.0.0.1' },
    { type: 'email', value: 'admin@example.test' },
    { type: 'uri', value: 'https://www.example.test/' },
  ]);
  t.deepEqual(extensionValue(leaf, 'authorityInfoAccess'), [
    { method: 'OCSP', location: { type: 'uri', value: 'http://ocsp.example.test/' } },
    {
      method: 'caIssuers',
      location: { type: 'uri', value: 'http://pki.example.test/intermediate.cer' },
    },
  ]);
  t.deepEqual(extensionValue(leaf, 'crlDistributionPoints'), [
    {
      names: [{ type: 'uri', value: 'http://crl.example.test/intermediate.crl' }],
      reasons: null,
      crlIssuer: null,
    },
  ]);
  t.deepEqual(extensionValue(leaf, 'certificatePolicies'), [
    { oid: '2.23.140.1.2.1', name: 'domainValidated', cps: [], notices: [] },
    {
      oid: '1.3.6.1.4.1.55555.2',
      name: null,
      cps: ['https://pki.example.test/cps'],
      notices: ['Fixture certificates: for tests only'],
    },
  ]);
  t.deepEqual(extensionValue(leaf, 'tlsFeature'), ['status_request']);
  const unknown = leaf.extensions.find((extension) => extension.oid === '1.3.6.1.4.1.55555.1');
  t.is(unknown?.name, '1.3.6.1.4.1.55555.1');
  t.regex((unknown?.value as { der: string }).der, /^0c21/);
});

test("the leaf's authority key identifier is the intermediate's subject key identifier", async (t) => {
  const leaf = await describe('openssl.p256-leaf.cert.pem');
  const intermediate = await describe('openssl.p256-intermediate.cert.pem');
  const aki = extensionValue(leaf, 'authorityKeyIdentifier') as { keyIdentifier: string };
  t.is(aki.keyIdentifier, extensionValue(intermediate, 'subjectKeyIdentifier') as string);
});

test('a constrained intermediate: path length, key usage in bit order, name constraints', async (t) => {
  const intermediate = await describe('openssl.p256-intermediate.cert.pem');
  t.deepEqual(extensionValue(intermediate, 'basicConstraints'), { ca: true, pathLen: 0 });
  t.deepEqual(extensionValue(intermediate, 'keyUsage'), [
    'digitalSignature',
    'keyCertSign',
    'crlSign',
  ]);
  t.deepEqual(extensionValue(intermediate, 'nameConstraints'), {
    permitted: [
      { type: 'dns', value: 'example.test' },
      { type: 'ip', value: '10.0.0.0/8' },
      { type: 'email', value: 'example.test' },
    ],
    excluded: [{ type: 'dns', value: 'forbidden.example.test' }],
  });
  const constraints = intermediate.extensions.find(
    (extension) => extension.name === 'nameConstraints',
  );
  t.true(constraints?.critical);
  t.is(intermediate.signatureAlgorithm, 'ecdsa-with-SHA384');
});

test('an Ed25519 certificate has a key type but no RSA or EC fields', async (t) => {
  const certificate = await describe('openssl.ed25519.cert.pem');
  t.is(certificate.keyType, 'ed25519');
  t.is(certificate.signatureAlgorithm, 'ED25519');
  t.is(certificate.bits, undefined);
  t.is(certificate.nistCurve, undefined);
  t.true(certificate.selfSigned);
});

test('includePem gives the certificate back as PEM', async (t) => {
  const der = await certificateDer('openssl.rsa2048.cert.der');
  const described = describeCertificate(der, { source: 'x', now: NOW, includePem: true });
  const pem = await readFile(join(fixturesDir, 'inspect', 'openssl.rsa2048.cert.pem'), 'utf8');
  t.is(described.pem, pem);
});

const MALFORMED: Array<[string, (der: Buffer) => Buffer]> = [
  ['garbage', () => Buffer.from('not a certificate at all')],
  ['cut in half', (der) => der.subarray(0, der.length >> 1)],
  [
    'a flipped length byte',
    (der) => Buffer.concat([der.subarray(0, 5), Buffer.from([0xff]), der.subarray(6)]),
  ],
  ['empty', () => Buffer.alloc(0)],
];

for (const [name, corrupt] of MALFORMED) {
  test(`a certificate that is ${name} is an InputError naming the input`, async (t) => {
    const der = corrupt(await certificateDer('openssl.rsa2048.cert.der'));
    const error = t.throws(() => describeCertificate(der, { source: 'bad.der', now: NOW }), {
      instanceOf: InputError,
    });
    t.regex(error?.message ?? '', /^bad\.der: /);
  });
}
