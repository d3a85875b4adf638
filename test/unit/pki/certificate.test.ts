import test from 'ava';
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { InputError, RefusedError, UsageError } from '../../../src/errors.js';
import { encodePem } from '../../../src/io/pem.js';
import {
  fingerprint256Of,
  issueCertificate,
  issuerFromCertificate,
  readCertificate,
  type CertificateIssuer,
  type IssueCertificateOptions,
} from '../../../src/pki/certificate.js';
import { generateKeyPair, type KeyPair, type KeySpec } from '../../../src/pki/keys.js';
import { encodeName, parseSubject } from '../../../src/pki/name.js';
import { loadProfile, parseProfile, type BuiltInProfileName } from '../../../src/pki/profile.js';
import { encodeSubjectAltNames, parseSan } from '../../../src/pki/san.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const validity = {
  notBefore: new Date('2026-06-15T11:59:00Z'),
  notAfter: new Date('2027-06-15T12:00:00Z'),
};
const serial = Buffer.from('1001', 'hex');

/** RFC 8410 PKCS#8 wrapping of a fixed Ed25519 seed: the same key, and signatures, every run. */
const fixedEd25519Key = createPrivateKey({
  key: Buffer.from(`302e020100300506032b657004220420${'42'.repeat(32)}`, 'hex'),
  format: 'der',
  type: 'pkcs8',
});

const name = (subject: string) => encodeName(parseSubject(subject));

interface Party {
  keys: KeyPair;
  name: Name;
}

async function party(spec: KeySpec, subject: string): Promise<Party> {
  return { keys: await generateKeyPair(spec), name: name(subject) };
}

async function issue(
  profileName: BuiltInProfileName,
  subject: Party,
  issuer: CertificateIssuer = { name: subject.name, key: subject.keys.privateKey },
  extra: Partial<IssueCertificateOptions> = {},
) {
  return issueCertificate({
    subject: subject.name,
    publicKey: subject.keys.publicKey,
    issuer,
    profile: await loadProfile(profileName),
    validity,
    serial,
    ...extra,
  });
}

function parse(der: Uint8Array): Certificate {
  return AsnConvert.parse(der, Certificate);
}

function extensionOf(certificate: Certificate, oid: string): Extension {
  const found = certificate.tbsCertificate.extensions?.find((item) => item.extnID === oid);
  if (!found) throw new Error(`no extension ${oid}`);
  return found;
}

function valueOf<T>(certificate: Certificate, oid: string, type: new () => T): T {
  return AsnConvert.parse(extensionOf(certificate, oid).extnValue.buffer, type);
}

function hexOf(value: object): string {
  return Buffer.from(AsnConvert.serialize(value)).toString('hex');
}

/** RFC 5280 §4.2.1.2 (1), computed here independently of the code under test. */
function keyIdOf(key: KeyObject): string {
  const spki = AsnConvert.parse(key.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
  return createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest('hex');
}

test('a CA-signed server certificate with an RSA key: fields and extensions', async (t) => {
  const ca = await party({ type: 'ec' }, '/CN=Test CA');
  const caSki = Buffer.from('aa'.repeat(20), 'hex');
  const leaf = await party({ type: 'rsa' }, '/C=GB/O=Example/CN=localhost');
  const san = encodeSubjectAltNames([parseSan('localhost'), parseSan('127.0.0.1')]);
  const issued = await issue(
    'server',
    leaf,
    { name: ca.name, key: ca.keys.privateKey, subjectKeyIdentifier: caSki },
    { extraExtensions: [san] },
  );
  const certificate = parse(issued.der);
  const tbs = certificate.tbsCertificate;
  t.is(tbs.version, 2);
  t.is(Buffer.from(tbs.serialNumber).toString('hex'), '1001');
  t.is(hexOf(tbs.issuer), hexOf(ca.name));
  t.is(hexOf(tbs.subject), hexOf(leaf.name));
  t.is(tbs.validity.notBefore.utcTime?.toISOString(), '2026-06-15T11:59:00.000Z');
  t.is(tbs.validity.notAfter.utcTime?.toISOString(), '2027-06-15T12:00:00.000Z');
  t.deepEqual(
    [...(tbs.extensions ?? [])].map((item) => item.extnID),
    [
      id_ce_basicConstraints,
      id_ce_keyUsage,
      id_ce_extKeyUsage,
      id_ce_subjectKeyIdentifier,
      id_ce_authorityKeyIdentifier,
      id_ce_subjectAltName,
    ],
  );
  t.true(extensionOf(certificate, id_ce_basicConstraints).critical);
  t.false(valueOf(certificate, id_ce_basicConstraints, BasicConstraints).cA);
  t.true(extensionOf(certificate, id_ce_keyUsage).critical);
  t.is(
    valueOf(certificate, id_ce_keyUsage, KeyUsage).toNumber(),
    KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment,
  );
  t.false(extensionOf(certificate, id_ce_extKeyUsage).critical);
  t.deepEqual([...valueOf(certificate, id_ce_extKeyUsage, ExtendedKeyUsage)], [SERVER_AUTH]);
  const ski = Buffer.from(
    valueOf(certificate, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier).buffer,
  );
  t.is(ski.toString('hex'), keyIdOf(leaf.keys.publicKey));
  t.is(issued.subjectKeyIdentifier.toString('hex'), ski.toString('hex'));
  const aki = valueOf(certificate, id_ce_authorityKeyIdentifier, AuthorityKeyIdentifier);
  t.is(
    Buffer.from(aki.keyIdentifier?.buffer ?? new ArrayBuffer(0)).toString('hex'),
    caSki.toString('hex'),
  );
  t.false(extensionOf(certificate, id_ce_subjectAltName).critical);
  // ECDSA identifiers carry no parameters (RFC 5758 §3.2).
  t.is(hexOf(certificate.signatureAlgorithm), '300a06082a8648ce3d040302');
  t.is(hexOf(tbs.signature), '300a06082a8648ce3d040302');
  const x509 = new X509Certificate(issued.der);
  t.true(x509.verify(ca.keys.publicKey));
  t.is(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
  t.is(issued.serialHex, '1001');
  t.is(issued.fingerprint256, x509.fingerprint256);
  t.is(issued.signatureAlgorithm.name, 'ecdsa-with-SHA256');
  t.is(issued.pem, encodePem('CERTIFICATE', issued.der));
});

test('keyEncipherment is left out for EC and EdDSA keys', async (t) => {
  for (const spec of [{ type: 'ec' }, { type: 'ed25519' }] as const) {
    const leaf = await party(spec, '/CN=localhost');
    const certificate = parse((await issue('server', leaf)).der);
    t.is(valueOf(certificate, id_ce_keyUsage, KeyUsage).toNumber(), KeyUsageFlags.digitalSignature);
  }
});

test('client and server-client profiles set their key purposes', async (t) => {
  const leaf = await party({ type: 'ec' }, '/CN=peer');
  const client = parse((await issue('client', leaf)).der);
  t.deepEqual([...valueOf(client, id_ce_extKeyUsage, ExtendedKeyUsage)], [CLIENT_AUTH]);
  const both = parse((await issue('server-client', leaf)).der);
  t.deepEqual([...valueOf(both, id_ce_extKeyUsage, ExtendedKeyUsage)], [SERVER_AUTH, CLIENT_AUTH]);
});

test('a self-signed CA: CA:TRUE without pathlen, CA key usages, AKI = SKI, RSA NULL params', async (t) => {
  const root = await party({ type: 'rsa' }, '/CN=Root CA');
  const issued = await issue('ca', root);
  const certificate = parse(issued.der);
  const constraints = valueOf(certificate, id_ce_basicConstraints, BasicConstraints);
  t.true(constraints.cA);
  t.is(constraints.pathLenConstraint, undefined);
  t.true(extensionOf(certificate, id_ce_basicConstraints).critical);
  t.is(
    valueOf(certificate, id_ce_keyUsage, KeyUsage).toNumber(),
    KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign,
  );
  t.true(extensionOf(certificate, id_ce_keyUsage).critical);
  t.false(certificate.tbsCertificate.extensions?.some((item) => item.extnID === id_ce_extKeyUsage));
  t.is(issued.authorityKeyIdentifier.toString('hex'), keyIdOf(root.keys.publicKey));
  t.is(issued.subjectKeyIdentifier.toString('hex'), keyIdOf(root.keys.publicKey));
  // RSA PKCS#1 v1.5 identifiers carry an explicit NULL (RFC 4055 §5).
  t.is(hexOf(certificate.signatureAlgorithm), '300d06092a864886f70d01010b0500');
  const x509 = new X509Certificate(issued.der);
  t.true(x509.ca);
  t.true(x509.checkIssued(x509));
  t.true(x509.verify(root.keys.publicKey));
});

test('an intermediate has pathlen 0', async (t) => {
  const intermediate = await party({ type: 'ec', curve: 'P-384' }, '/CN=Intermediate');
  const certificate = parse((await issue('intermediate', intermediate)).der);
  const constraints = valueOf(certificate, id_ce_basicConstraints, BasicConstraints);
  t.true(constraints.cA);
  t.is(constraints.pathLenConstraint, 0);
  t.is(hexOf(certificate.signatureAlgorithm), '300a06082a8648ce3d040303');
});

test('times from 2050 are GeneralizedTime, before it UTCTime (RFC 5280 §4.1.2.5)', async (t) => {
  const leaf = await party({ type: 'ed25519' }, '/CN=long');
  const issued = await issue('server', leaf, undefined, {
    validity: {
      notBefore: new Date('2049-12-31T23:59:59Z'),
      notAfter: new Date('2050-01-01T00:00:00Z'),
    },
  });
  const times = parse(issued.der).tbsCertificate.validity;
  t.is(times.notBefore.utcTime?.toISOString(), '2049-12-31T23:59:59.000Z');
  t.is(times.notBefore.generalTime, undefined);
  t.is(times.notAfter.generalTime?.toISOString(), '2050-01-01T00:00:00.000Z');
  t.is(new X509Certificate(issued.der).validTo, 'Jan  1 00:00:00 2050 GMT');
});

test('with pinned key, dates and serial the certificate is byte-exact', async (t) => {
  const subject = name('/CN=pinned.test');
  const options = {
    subject,
    publicKey: fixedEd25519Key,
    issuer: { name: subject, key: fixedEd25519Key },
    profile: await loadProfile('server'),
    validity,
    serial,
  };
  const first = await issueCertificate(options);
  const second = await issueCertificate(options);
  t.true(first.der.equals(second.der));
  t.is(first.signatureAlgorithm.name, 'ED25519');
  t.is(
    first.fingerprint256,
    '90:75:21:24:EE:4A:15:6D:B2:D3:BD:50:EA:6E:F4:E8:A9:A6:1D:6F:82:87:3C:29:5B:BB:3D:BA:29:0F:72:87',
  );
});

test('with an empty subject, the subjectAltName is made critical (RFC 5280 §4.2.1.6)', async (t) => {
  const keys = await generateKeyPair({ type: 'ec' });
  const empty = new Name([]);
  const issued = await issueCertificate({
    subject: empty,
    publicKey: keys.publicKey,
    issuer: { name: empty, key: keys.privateKey },
    profile: await loadProfile('server'),
    validity,
    serial,
    extraExtensions: [encodeSubjectAltNames([parseSan('localhost')])],
  });
  t.true(extensionOf(parse(issued.der), id_ce_subjectAltName).critical);
});

test('an extra extension that the profile sets already is refused', async (t) => {
  const leaf = await party({ type: 'ec' }, '/CN=dup');
  const caFlag = new Extension({
    extnID: id_ce_basicConstraints,
    critical: true,
    extnValue: new OctetString(AsnConvert.serialize(new BasicConstraints({ cA: true }))),
  });
  await t.throwsAsync(issue('server', leaf, undefined, { extraExtensions: [caFlag] }), {
    instanceOf: InputError,
    message: /2\.5\.29\.19 is given twice/,
  });
});

test('signing with a public key is a usage error; SHA-1 needs allowWeak', async (t) => {
  const leaf = await party({ type: 'rsa' }, '/CN=weak');
  await t.throwsAsync(issue('server', leaf, { name: leaf.name, key: leaf.keys.publicKey }), {
    instanceOf: UsageError,
  });
  await t.throwsAsync(issue('server', leaf, undefined, { digest: 'sha1' }), {
    instanceOf: RefusedError,
  });
  const weak = await issue('server', leaf, undefined, { digest: 'sha1', allowWeak: true });
  t.is(weak.signatureAlgorithm.name, 'sha1WithRSAEncryption');
});

test('readCertificate reads PEM and DER, with the extensions an issuer needs', async (t) => {
  const root = await party({ type: 'ec' }, '/CN=Root');
  const issued = await issue('ca', root);
  for (const data of [Buffer.from(issued.pem), issued.der]) {
    const details = readCertificate(data, 'ca.pem');
    t.true(details.der.equals(issued.der));
    t.is(hexOf(details.subject), hexOf(root.name));
    t.true(details.basicConstraints?.cA);
    t.is(
      details.keyUsage,
      KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign,
    );
    t.true(details.subjectKeyIdentifier?.equals(issued.subjectKeyIdentifier));
    t.true(details.publicKey.equals(root.keys.publicKey));
  }
});

test('readCertificate refuses what is not a certificate, naming the file', (t) => {
  t.throws(() => readCertificate(Buffer.from('not a certificate at all'), 'junk.pem'), {
    instanceOf: InputError,
    message: /^junk\.pem is not a valid certificate/,
  });
  const csrPem = encodePem('CERTIFICATE REQUEST', Buffer.from('3000', 'hex'));
  t.throws(() => readCertificate(Buffer.from(csrPem), 'req.pem'), {
    instanceOf: InputError,
    message: 'req.pem holds CERTIFICATE REQUEST, not a certificate',
  });
});

test('issuerFromCertificate takes a CA certificate with its own key', async (t) => {
  const root = await party({ type: 'ec' }, '/CN=Root');
  const details = readCertificate((await issue('ca', root)).der, 'ca.pem');
  const issuer = issuerFromCertificate(
    details,
    root.keys.privateKey,
    'ca.key',
    await loadProfile('intermediate'),
  );
  t.is(hexOf(issuer.name), hexOf(root.name));
  t.is(issuer.subjectKeyIdentifier, details.subjectKeyIdentifier);
  t.is(issuer.key, root.keys.privateKey);
});

test('issuerFromCertificate refuses non-CAs, missing keyCertSign, foreign keys, pathlen 0', async (t) => {
  const server = await loadProfile('server');
  const root = await party({ type: 'ec' }, '/CN=Root');
  const rootCert = readCertificate((await issue('ca', root)).der, 'ca.pem');
  const leaf = await party({ type: 'ec' }, '/CN=leaf');
  const leafCert = readCertificate((await issue('server', leaf)).der, 'leaf.pem');
  t.throws(() => issuerFromCertificate(leafCert, leaf.keys.privateKey, 'leaf.key', server), {
    instanceOf: InputError,
    message: 'leaf.pem is not a CA certificate (basicConstraints CA:FALSE)',
  });
  const noCertSign = { ...rootCert, keyUsage: KeyUsageFlags.digitalSignature };
  t.throws(() => issuerFromCertificate(noCertSign, root.keys.privateKey, 'ca.key', server), {
    instanceOf: InputError,
    message: /keyUsage lacks keyCertSign/,
  });
  t.throws(() => issuerFromCertificate(rootCert, leaf.keys.privateKey, 'other.key', server), {
    instanceOf: InputError,
    message: 'other.key does not match ca.pem',
  });
  const intermediate = await party({ type: 'ec' }, '/CN=Intermediate');
  const intermediateCert = readCertificate(
    (await issue('intermediate', intermediate)).der,
    'intermediate.pem',
  );
  const key = intermediate.keys.privateKey;
  const intermediateProfile = await loadProfile('intermediate');
  t.throws(() => issuerFromCertificate(intermediateCert, key, 'i.key', intermediateProfile), {
    instanceOf: InputError,
    message: /pathlen 0: it cannot issue CA certificates/,
  });
  t.notThrows(() => issuerFromCertificate(intermediateCert, key, 'i.key', server));
});

test('fingerprint256Of matches Node and openssl formatting', async (t) => {
  const leaf = await party({ type: 'ed25519' }, '/CN=fp');
  const issued = await issue('server', leaf);
  t.is(fingerprint256Of(issued.der), new X509Certificate(issued.der).fingerprint256);
});

test('a profile whose only key usage an EC key cannot have is refused, not emptied', async (t) => {
  const { privateKey, publicKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const profile = parseProfile(
    {
      description: 'key transport only',
      validityDays: 30,
      basicConstraints: { ca: false, critical: true },
      keyUsage: { usages: ['keyEncipherment'], critical: true },
    },
    'transport-only',
    'transport-only.json',
  );
  const subject = encodeName(parseSubject('/CN=x.test'));
  await t.throwsAsync(
    issueCertificate({
      subject,
      publicKey,
      issuer: { name: subject, key: privateKey },
      profile,
      validity: { notBefore: new Date('2026-01-01Z'), notAfter: new Date('2026-02-01Z') },
      serial: Buffer.of(1),
    }),
    { instanceOf: InputError, message: /only keyEncipherment/ },
  );
});
