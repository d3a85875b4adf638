import test, { type ExecutionContext } from 'ava';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { InputError, UsageError } from '../../../src/errors.js';
import { decodePem } from '../../../src/io/pem.js';
import { createCsr } from '../../../src/pki/csr.js';
import { encodePrivateKey, generateKeyPair, type KeySpec } from '../../../src/pki/keys.js';
import { parseSubject } from '../../../src/pki/name.js';
import { parseSan } from '../../../src/pki/san.js';
import { signCertificateRequest, type SignOptions } from '../../../src/pki/sign.js';
import { makeTempDir } from '../../helpers/index.js';

const now = new Date('2026-06-15T12:00:00Z');
const fixedRandom = (size: number) => Buffer.alloc(size, 0x5a);

interface Files {
  dir: string;
  csr: string;
  key: string;
}

/** A key and a CSR for it, written to a temp folder. */
async function requestFiles(
  t: ExecutionContext,
  subject: string,
  sans: string[],
  spec: KeySpec = { type: 'ec' },
  dir?: string,
  prefix = 'leaf',
): Promise<Files> {
  const folder = dir ?? (await makeTempDir(t));
  const keys = await generateKeyPair(spec);
  const csr = createCsr({
    key: keys.privateKey,
    subject: parseSubject(subject),
    sans: sans.map(parseSan),
  });
  const files = {
    dir: folder,
    csr: join(folder, `${prefix}.csr`),
    key: join(folder, `${prefix}.key`),
  };
  await writeFile(files.csr, csr.pem);
  await writeFile(files.key, encodePrivateKey(keys.privateKey, { format: 'pem' }));
  return files;
}

async function selfSign(files: Files, extra: Partial<SignOptions> = {}) {
  return signCertificateRequest({
    csrPath: files.csr,
    signer: { selfKeyPath: files.key },
    now,
    random: fixedRandom,
    ...extra,
  });
}

test('self-signs a CSR: subject, SANs, dates, serial and profile as reported', async (t) => {
  const files = await requestFiles(t, '/C=GB/O=Example/CN=localhost', ['localhost', '127.0.0.1']);
  const result = await selfSign(files);
  t.like(result, {
    subject: 'C=GB, O=Example, CN=localhost',
    issuer: 'C=GB, O=Example, CN=localhost',
    selfSigned: true,
    serial: '5A'.repeat(16),
    notBefore: '2026-06-15T11:59:00.000Z',
    notAfter: '2027-06-15T12:00:00.000Z',
    profile: 'server',
    sans: ['DNS:localhost', 'IP:127.0.0.1'],
    signatureAlgorithm: 'ecdsa-with-SHA256',
  });
  const x509 = new X509Certificate(result.pem);
  t.is(x509.serialNumber, '5A'.repeat(16));
  t.is(x509.fingerprint256, result.fingerprint256);
  t.is(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
  t.true(x509.verify(x509.publicKey));
  t.true(x509.checkHost('localhost') === 'localhost');
  t.true(result.der.equals(x509.raw));
});

test('the subject is copied byte for byte from the CSR', async (t) => {
  const files = await requestFiles(t, '/C=GB/ST=Acknack Ltd/O=node.js/CN=a+UID=b', ['a.test']);
  const result = await selfSign(files);
  const request = AsnConvert.parse(await readPemDer(files.csr), CertificationRequest);
  const certificate = AsnConvert.parse(result.der, Certificate);
  t.is(hexOf(certificate.tbsCertificate.subject), hexOf(request.certificationRequestInfo.subject));
});

test('signs with a CA: issuer from the CA certificate, chain verifies', async (t) => {
  const dir = await makeTempDir(t);
  const caFiles = await requestFiles(t, '/CN=Test Root CA', [], { type: 'rsa' }, dir, 'ca');
  const ca = await selfSign(caFiles, { profile: 'ca', random: undefined });
  const caPem = join(dir, 'ca.pem');
  await writeFile(caPem, ca.pem);
  const leafFiles = await requestFiles(t, '/CN=localhost', ['localhost'], { type: 'ec' }, dir);
  const leaf = await signCertificateRequest({
    csrPath: leafFiles.csr,
    signer: { caCertificatePath: caPem, caKeyPath: caFiles.key },
    now,
    days: 30,
  });
  t.like(leaf, {
    subject: 'CN=localhost',
    issuer: 'CN=Test Root CA',
    selfSigned: false,
    notAfter: '2026-07-15T12:00:00.000Z',
    signatureAlgorithm: 'sha256WithRSAEncryption',
  });
  const caX509 = new X509Certificate(ca.pem);
  const leafX509 = new X509Certificate(leaf.pem);
  t.true(leafX509.checkIssued(caX509));
  t.true(leafX509.verify(caX509.publicKey));
  t.not(leaf.serial, ca.serial);
});

test('an encrypted signing key is opened through the passphrase provider', async (t) => {
  const dir = await makeTempDir(t);
  const caKey = (await generateKeyPair({ type: 'ec' })).privateKey;
  const encCsr = join(dir, 'enc.csr');
  await writeFile(encCsr, createCsr({ key: caKey, subject: parseSubject('/CN=Enc CA') }).pem);
  const encKey = join(dir, 'enc.key');
  await writeFile(encKey, encodePrivateKey(caKey, { format: 'pem', passphrase: 'right-pass' }));
  const asked: string[] = [];
  const result = await signCertificateRequest({
    csrPath: encCsr,
    signer: { selfKeyPath: encKey },
    profile: 'ca',
    now,
    passphrase: async (purpose) => {
      asked.push(purpose);
      return 'right-pass';
    },
  });
  t.deepEqual(asked, [`passphrase for ${encKey}`]);
  t.is(result.profile, 'ca');
  await t.throwsAsync(
    signCertificateRequest({ csrPath: encCsr, signer: { selfKeyPath: encKey }, now }),
    { instanceOf: UsageError, message: /is encrypted/ },
  );
});

test('a self-signing key that is not the CSR key is refused', async (t) => {
  const files = await requestFiles(t, '/CN=localhost', ['localhost']);
  const other = await requestFiles(t, '/CN=other', ['other.test']);
  await t.throwsAsync(selfSign({ ...files, key: other.key }), {
    instanceOf: InputError,
    message: `${other.key} does not match the CSR's public key`,
  });
});

test('a CSR whose signature does not verify is refused', async (t) => {
  const files = await requestFiles(t, '/CN=localhost', ['localhost'], { type: 'ed25519' });
  const request = AsnConvert.parse(await readPemDer(files.csr), CertificationRequest);
  const signature = Buffer.from(request.signature);
  signature[0] = (signature[0] as number) ^ 0x01;
  request.signature = Uint8Array.from(signature).buffer;
  await writeFile(files.csr, Buffer.from(AsnConvert.serialize(request)));
  await t.throwsAsync(selfSign(files), {
    instanceOf: InputError,
    message: `${files.csr}: signature does not verify`,
  });
});

test('a CSR with an empty subject and a SAN gives a certificate with a critical SAN', async (t) => {
  const files = await requestFiles(t, '/', ['only.test']);
  const result = await selfSign(files);
  t.is(result.subject, '');
  t.deepEqual(result.sans, ['DNS:only.test']);
  t.is(new X509Certificate(result.pem).subjectAltName, 'DNS:only.test');
});

test('a CA certificate that is not a CA is refused', async (t) => {
  const dir = await makeTempDir(t);
  const leafFiles = await requestFiles(t, '/CN=leaf', ['leaf.test'], { type: 'ec' }, dir, 'l');
  const leafPem = join(dir, 'leaf.pem');
  await writeFile(leafPem, (await selfSign(leafFiles)).pem);
  const other = await requestFiles(t, '/CN=x', ['x.test'], { type: 'ec' }, dir, 'x');
  await t.throwsAsync(
    signCertificateRequest({
      csrPath: other.csr,
      signer: { caCertificatePath: leafPem, caKeyPath: leafFiles.key },
      now,
    }),
    {
      instanceOf: InputError,
      message: `${leafPem} is not a CA certificate (basicConstraints CA:FALSE)`,
    },
  );
});

test('serial, times and profile come from the options', async (t) => {
  const files = await requestFiles(t, '/CN=client', ['client.test']);
  const result = await selfSign(files, {
    serial: '0x1001',
    notBefore: '-10d',
    notAfter: '-1d',
    profile: 'client',
  });
  t.like(result, {
    serial: '1001',
    notBefore: '2026-06-05T12:00:00.000Z',
    notAfter: '2026-06-14T12:00:00.000Z',
    profile: 'client',
  });
  t.is(new X509Certificate(result.pem).serialNumber, '1001');
});

test('option errors come before any file is read', async (t) => {
  const missing = { csrPath: '/nonexistent/x.csr', signer: { selfKeyPath: '/nonexistent/k' } };
  await t.throwsAsync(signCertificateRequest({ ...missing, serial: 'zz' }), {
    message: /--serial "zz"/,
  });
  await t.throwsAsync(signCertificateRequest({ ...missing, notAfter: 'soon' }), {
    message: /--not-after: "soon"/,
  });
  await t.throwsAsync(signCertificateRequest({ ...missing, profile: 'nonesuch' }), {
    message: /unknown profile "nonesuch"/,
  });
});

async function readPemDer(path: string): Promise<Buffer> {
  const [block] = decodePem(await readFile(path, 'utf8'), path);
  if (!block) throw new Error(`no PEM in ${path}`);
  return block.der;
}

function hexOf(value: object): string {
  return Buffer.from(AsnConvert.serialize(value)).toString('hex');
}
