/**
 * `inspect` agrees with the real openssl binary: fingerprints, serials, dates, key sizes,
 * subject names, SANs and key identifiers of certificates openssl made (the pinned fixtures and
 * fresh ones), key hashes of every key form, and CSR signature checks.
 */
import test from 'ava';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem } from '../../src/io/pem.js';
import type { CertificateDescription } from '../../src/pki/describe/certificate.js';
import type { CsrDescription } from '../../src/pki/describe/csr.js';
import { colonHex } from '../../src/pki/describe/format.js';
import { inspectFile } from '../../src/pki/describe/inspect.js';
import type { PrivateKeyDescription, PublicKeyDescription } from '../../src/pki/describe/key.js';
import { fixturesDir, makeTempDir, openssl, runOpenssl } from '../helpers/index.js';

const PASSPHRASE = 'tlskit-fixture';
const fixture = (name: string) => join(fixturesDir, 'inspect', name);

async function onlyObject<T>(path: string): Promise<T> {
  const result = await inspectFile(path, { passphrase: async () => PASSPHRASE });
  if (result.objects.length !== 1)
    throw new Error(`${path} holds ${result.objects.length} objects`);
  return result.objects[0] as T;
}

/** The value after `=` in openssl's one-line outputs (`sha256 Fingerprint=AB:…`, `serial=…`). */
async function opensslValue(path: string, inform: string, ...args: string[]): Promise<string> {
  const output = await openssl(['x509', '-in', path, '-inform', inform, '-noout', ...args]);
  return output.trim().slice(output.indexOf('=') + 1);
}

async function checkCertificate(t: import('ava').ExecutionContext, path: string): Promise<void> {
  const inform = path.endsWith('.der') ? 'DER' : 'PEM';
  const certificate = await onlyObject<CertificateDescription>(path);
  t.is(certificate.fingerprint256, await opensslValue(path, inform, '-fingerprint', '-sha256'));
  t.is(certificate.fingerprint, await opensslValue(path, inform, '-fingerprint', '-sha1'));
  t.is(certificate.serialNumber, await opensslValue(path, inform, '-serial'));

  const node = new X509Certificate(await readFile(path));
  t.is(certificate.valid_from, node.validFrom);
  t.is(certificate.valid_to, node.validTo);
  const notBefore = await opensslValue(path, inform, '-startdate');
  const notAfter = await opensslValue(path, inform, '-enddate');
  t.is(certificate.validity.notBefore, new Date(notBefore).toISOString());
  t.is(certificate.validity.notAfter, new Date(notAfter).toISOString());

  const subject = await opensslValue(
    path,
    inform,
    '-subject',
    '-nameopt',
    'esc_2253,esc_ctrl,esc_msb,utf8,sep_comma_plus_space,sname',
  );
  // openssl spaces a multi-valued RDN's plus (`O=x + OU=y`); RFC 4514, and tlskit, do not.
  t.is(certificate.subjectString, subject.replaceAll(' + ', '+'));

  const text = await openssl(['x509', '-in', path, '-inform', inform, '-noout', '-text']);
  const bits = /Public-Key: \((\d+) bit\)/.exec(text)?.[1];
  if (certificate.keyType === 'rsa' || certificate.keyType === 'ec') {
    t.is(certificate.bits, Number(bits));
  } else {
    t.is(bits, undefined, 'openssl shows no size for EdDSA keys, and neither does Node');
  }
  t.true(text.includes(`Signature Algorithm: ${certificate.signatureAlgorithm}`));

  const extensions = await openssl([
    'x509',
    '-in',
    path,
    '-inform',
    inform,
    '-noout',
    '-ext',
    'subjectAltName,subjectKeyIdentifier',
  ]);
  const ski = certificate.extensions.find((extension) => extension.name === 'subjectKeyIdentifier');
  if (ski) t.true(extensions.includes(colonHex(ski.value as string)));
  if (certificate.subjectaltname) t.true(extensions.includes(certificate.subjectaltname));
}

const FIXTURE_CERTIFICATES = [
  'openssl.rsa2048.cert.pem',
  'openssl.rsa2048.cert.der',
  'openssl.p256-leaf.cert.pem',
  'openssl.p256-intermediate.cert.pem',
  'openssl.p384-root.cert.pem',
  'openssl.ed25519.cert.pem',
];

for (const name of FIXTURE_CERTIFICATES) {
  test(`${name}: fingerprints, serial, dates, subject, key size and SANs agree with openssl`, async (t) => {
    await checkCertificate(t, fixture(name));
  });
}

/** Serials that tempt formatting bugs: a high bit (DER adds 00), leading zero nibbles, 159 bits. */
const FRESH: Array<[string, string[]]> = [
  ['0x80', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521']],
  ['0x0123', ['-newkey', 'rsa:3072']],
  ['1', ['-newkey', 'ed448']],
  [
    '0x7fffffffffffffffffffffffffffffffffffffff',
    ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  ],
];

for (const [serial, keyArgs] of FRESH) {
  test(`a fresh openssl certificate with serial ${serial} (${keyArgs.join(' ')}) agrees`, async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'cert.pem');
    await openssl([
      'req',
      '-x509',
      ...keyArgs,
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-subj',
      '/C=UK/O=A\\, B+OU=multi/CN=fresh.example.test',
      '-addext',
      'subjectAltName=DNS:fresh.example.test,IP:::1,email:a@fresh.example.test',
      '-set_serial',
      serial,
      '-days',
      '30',
      '-out',
      path,
    ]);
    await checkCertificate(t, path);
  });
}

const KEYS = [
  'openssl.rsa2048.key.pem',
  'openssl.rsa2048.pkcs1.key.pem',
  'openssl.rsa2048.legacy-enc.key.pem',
  'openssl.rsa2048.pub.pem',
  'openssl.p256-leaf.key.pem',
  'openssl.p256-leaf.key.der',
  'openssl.p256-leaf.sec1.key.der',
  'openssl.p256-leaf.enc.key.pem',
  'openssl.p256-leaf.enc.key.der',
  'openssl.p256-leaf.pub.der',
  'openssl.ed25519.key.pem',
];

for (const name of KEYS) {
  test(`${name}: public-key SHA-256 and size agree with openssl pkey`, async (t) => {
    const path = fixture(name);
    const key = await onlyObject<PrivateKeyDescription | PublicKeyDescription>(path);
    const inform = name.endsWith('.der') ? 'DER' : 'PEM';
    const isPublic = key.kind === 'public-key';
    const common = ['pkey', '-in', path, '-inform', inform, ...(isPublic ? ['-pubin'] : [])];
    const passin = isPublic ? [] : ['-passin', `pass:${PASSPHRASE}`];
    const dir = await makeTempDir(t);
    const spkiPath = join(dir, 'spki.der');
    await openssl([...common, ...passin, '-pubout', '-outform', 'DER', '-out', spkiPath]);
    const hash = createHash('sha256')
      .update(await readFile(spkiPath))
      .digest('hex');
    t.is(key.publicKeySha256, hash);
    const text = await openssl([...common, ...passin, '-noout', '-text']);
    const bits = /Key: \((\d+) bit/.exec(text)?.[1];
    if (key.keyType === 'ed25519') t.is(bits, undefined);
    else t.is(key.bits, Number(bits));
  });
}

test('CSR signatures: openssl req -verify and inspect agree, for intact and altered requests', async (t) => {
  const dir = await makeTempDir(t);
  const intact = fixture('openssl.rsa2048.csr.pem');
  const der = decodePem(await readFile(intact, 'utf8'))[0]?.der as Buffer;
  const altered = Buffer.from(der);
  altered[altered.indexOf('csr.example.test') + 6] = 'b'.charCodeAt(0);
  const alteredPath = join(dir, 'altered.csr.der');
  await writeFile(alteredPath, altered);
  for (const [path, inform, valid] of [
    [intact, 'PEM', true],
    [fixture('openssl.p256-leaf.csr.der'), 'DER', true],
    [alteredPath, 'DER', false],
  ] as const) {
    const csr = await onlyObject<CsrDescription>(path);
    t.is(csr.signatureValid, valid, path);
    // OpenSSL 3.0 exits 0 even when verification fails: read its verdict instead.
    const verify = await runOpenssl(['req', '-in', path, '-inform', inform, '-verify', '-noout']);
    const verdict = `${verify.stdout}${verify.stderr}`;
    t.is(/verify OK/.test(verdict), valid, `openssl req -verify on ${path}: ${verdict}`);
    t.is(/verify failure/.test(verdict), !valid, verdict);
  }
});
