import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { decodePem, encodePem } from '../../../src/io/pem.js';
import {
  inspectData,
  inspectionTree,
  type InspectedObject,
} from '../../../src/pki/describe/inspect.js';
import { renderTree } from '../../../src/render/text-tree.js';
import { fixturesDir } from '../../helpers/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const PASSPHRASE = 'tlskit-fixture';
const fixture = (name: string) => readFile(join(fixturesDir, 'inspect', name));
const fixtureText = async (name: string) => (await fixture(name)).toString('utf8');
const derOf = async (name: string) => decodePem(await fixtureText(name))[0]?.der as Buffer;

function issuedBy(object: InspectedObject | undefined): number | null | undefined {
  return object && 'issuedBy' in object ? object.issuedBy : undefined;
}

test('a chain: every object in order, each linked to the one that issued it', async (t) => {
  const result = await inspectData(await fixture('openssl.chain.pem'), 'chain.pem', { now: NOW });
  t.is(result.encoding, 'pem');
  t.deepEqual(
    result.objects.map((object) => [object.index, object.kind]),
    [
      [1, 'certificate'],
      [2, 'certificate'],
      [3, 'certificate'],
    ],
  );
  t.deepEqual(result.objects.map(issuedBy), [2, 3, null]);
  t.like(result.objects[2], { selfSigned: true });
});

test('linking does not depend on the order of the bundle', async (t) => {
  const bundle = [
    await fixtureText('openssl.p384-root.cert.pem'),
    await fixtureText('openssl.p256-leaf.cert.pem'),
    await fixtureText('openssl.p256-intermediate.cert.pem'),
  ].join('');
  const result = await inspectData(Buffer.from(bundle), 'b.pem', { now: NOW });
  t.deepEqual(result.objects.map(issuedBy), [null, 3, 1]);
});

test('a name match alone does not link: the signature must verify', async (t) => {
  // The root's name with the leaf: the intermediate (the real issuer) is missing.
  const bundle =
    (await fixtureText('openssl.p256-leaf.cert.pem')) +
    (await fixtureText('openssl.p384-root.cert.pem'));
  const result = await inspectData(Buffer.from(bundle), 'b.pem', { now: NOW });
  t.deepEqual(result.objects.map(issuedBy), [null, null]);
});

test('a CRL bundled with its issuer is linked to it', async (t) => {
  const bundle =
    (await fixtureText('openssl.p256-intermediate.crl.pem')) +
    (await fixtureText('openssl.p256-intermediate.cert.pem'));
  const result = await inspectData(Buffer.from(bundle), 'b.pem', { now: NOW });
  t.deepEqual(
    result.objects.map((object) => [object.kind, issuedBy(object)]),
    [
      ['crl', 2],
      ['certificate', null],
    ],
  );
});

test('a mixed file: parameters, key, certificate, CSR, each with its index', async (t) => {
  const ecParameters = encodePem('EC PARAMETERS', Buffer.from('06082a8648ce3d030107', 'hex'));
  const bundle = [
    ecParameters,
    await fixtureText('openssl.p256-leaf.sec1.key.pem'),
    await fixtureText('openssl.rsa2048.cert.pem'),
    await fixtureText('openssl.rsa2048.csr.pem'),
    await fixtureText('openssl.rsa2048.pub.pem'),
  ].join('');
  const result = await inspectData(Buffer.from(bundle), 'mixed.pem', { now: NOW });
  t.deepEqual(
    result.objects.map((object) => `${object.index}:${object.kind}`),
    ['1:other', '2:private-key', '3:certificate', '4:csr', '5:public-key'],
  );
  t.like(result.objects[0], { label: 'EC PARAMETERS', bytes: 10 });
  const text = renderTree(inspectionTree(result));
  t.true(
    text.startsWith(
      'mixed.pem: 5 objects\n\n#1 Other PEM block: EC PARAMETERS (10 bytes, not described)\n\n#2 Private key\n',
    ),
  );
});

test('openssl -text output around the PEM block is ignored', async (t) => {
  const text = `Certificate:\n    Data:\n        Version: 3 (0x2)\n${await fixtureText('openssl.rsa2048.cert.pem')}`;
  const result = await inspectData(Buffer.from(text), 'x.pem', { now: NOW });
  t.deepEqual(
    result.objects.map((object) => object.kind),
    ['certificate'],
  );
});

const DER_KINDS: Array<[string, () => Promise<Buffer>, string]> = [
  ['certificate', () => fixture('openssl.rsa2048.cert.der'), 'certificate'],
  ['CSR', () => fixture('openssl.p256-leaf.csr.der'), 'csr'],
  ['CRL', () => derOf('openssl.p256-intermediate.crl.pem'), 'crl'],
  ['SPKI public key', () => fixture('openssl.p256-leaf.pub.der'), 'public-key'],
  ['PKCS#1 public key', () => derOf('openssl.rsa2048.rsapub.pem'), 'public-key'],
  ['PKCS#8 private key', () => fixture('openssl.p256-leaf.key.der'), 'private-key'],
  ['SEC1 private key', () => fixture('openssl.p256-leaf.sec1.key.der'), 'private-key'],
  ['PKCS#1 private key', () => derOf('openssl.rsa2048.pkcs1.key.pem'), 'private-key'],
  ['encrypted PKCS#8 key', () => fixture('openssl.p256-leaf.enc.key.der'), 'private-key'],
];

for (const [name, load, kind] of DER_KINDS) {
  test(`DER is recognised: ${name}`, async (t) => {
    const result = await inspectData(await load(), 'x.der', {
      now: NOW,
      passphrase: async () => PASSPHRASE,
    });
    t.is(result.encoding, 'der');
    t.deepEqual(
      result.objects.map((object) => object.kind),
      [kind],
    );
  });
}

const BAD_INPUTS: Array<[string, () => Promise<Buffer>, string]> = [
  [
    'garbage',
    async () => Buffer.from('\x00\x01 hello, not PKI'),
    'bad.bin: not a certificate, CSR or key',
  ],
  [
    'a cut DER certificate',
    async () => (await fixture('openssl.rsa2048.cert.der')).subarray(0, 300),
    'bad.bin: truncated DER',
  ],
  [
    'DER with bytes after it',
    async () => Buffer.concat([await fixture('openssl.rsa2048.cert.der'), Buffer.from([0, 0])]),
    'bad.bin: unexpected bytes after the DER object',
  ],
  [
    'a DER SEQUENCE that is nothing known',
    async () => Buffer.from('3003020101', 'hex'),
    'bad.bin: not a certificate, CSR or key',
  ],
  [
    'text that mentions PEM but has no block',
    async () => Buffer.from('see -----BEGIN CERTIFICATE----- above'),
    'bad.bin: not a certificate, CSR or key',
  ],
];

for (const [name, load, message] of BAD_INPUTS) {
  test(`bad input is one InputError naming the file: ${name}`, async (t) => {
    await t.throwsAsync(inspectData(await load(), 'bad.bin', { now: NOW }), {
      instanceOf: InputError,
      message,
    });
  });
}

test('a damaged certificate inside a bundle is named by its block', async (t) => {
  const der = Buffer.from(await derOf('openssl.rsa2048.cert.pem'));
  const cut = encodePem('CERTIFICATE', der.subarray(0, 200));
  const bundle = (await fixtureText('openssl.p384-root.cert.pem')) + cut;
  await t.throwsAsync(inspectData(Buffer.from(bundle), 'b.pem', { now: NOW }), {
    instanceOf: InputError,
    message: 'b.pem block #2: truncated DER',
  });
  der[20] = 0xff; // a bad tag inside an intact outer SEQUENCE
  await t.throwsAsync(
    inspectData(Buffer.from(encodePem('CERTIFICATE', der)), 'c.pem', { now: NOW }),
    {
      instanceOf: InputError,
      message: 'c.pem: not a valid certificate',
    },
  );
});

test('includePem adds PEM to certificates, CSRs and public keys, never to private keys', async (t) => {
  const bundle = [
    await fixtureText('openssl.rsa2048.cert.pem'),
    await fixtureText('openssl.rsa2048.key.pem'),
    await fixtureText('openssl.rsa2048.pub.pem'),
  ].join('');
  const result = await inspectData(Buffer.from(bundle), 'b.pem', { now: NOW, includePem: true });
  t.deepEqual(
    result.objects.map((object) => 'pem' in object && typeof object.pem === 'string'),
    [true, false, true],
  );
  t.false(JSON.stringify(result).includes('PRIVATE KEY'));
});
