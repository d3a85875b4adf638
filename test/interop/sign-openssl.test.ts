/**
 * `tlskit sign` against the real openssl: openssl makes the keys and CSRs (and one CA), tlskit
 * issues the certificates, and openssl judges them (verify, checkhost, serial, fingerprint).
 * Also the CLI's contract: exit codes, one-line errors, nothing written or overwritten on failure.
 */
import test, { type ExecutionContext } from 'ava';
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { ExitCode } from '../../src/errors.js';
import { decodePem } from '../../src/io/pem.js';
import type { SignCommandResult } from '../../commands/sign.js';
import { makeTempDir, openssl, runOpenssl, runTlskit } from '../helpers/index.js';

const KEY_TYPES: Array<{ label: string; genpkey: string[]; signatureAlgorithm: string }> = [
  {
    label: 'RSA 2048',
    genpkey: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    signatureAlgorithm: 'sha256WithRSAEncryption',
  },
  {
    label: 'EC P-256',
    genpkey: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    signatureAlgorithm: 'ecdsa-with-SHA256',
  },
  {
    label: 'EC P-384',
    genpkey: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    signatureAlgorithm: 'ecdsa-with-SHA384',
  },
  {
    label: 'EC P-521',
    genpkey: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
    signatureAlgorithm: 'ecdsa-with-SHA512',
  },
  { label: 'Ed25519', genpkey: ['-algorithm', 'ED25519'], signatureAlgorithm: 'ED25519' },
  { label: 'Ed448', genpkey: ['-algorithm', 'ED448'], signatureAlgorithm: 'ED448' },
];

const EC_P256 = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const SERVER_SANS = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

/** An openssl key and CSR in `dir`, named `name.key` and `name.csr`. */
async function opensslRequest(
  dir: string,
  name: string,
  subject: string,
  options: { genpkey?: string[]; addext?: string[] } = {},
): Promise<{ key: string; csr: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  await openssl(['genpkey', ...(options.genpkey ?? EC_P256), '-out', key]);
  const addext = (options.addext ?? []).flatMap((extension) => ['-addext', extension]);
  await openssl(['req', '-new', '-key', key, '-subj', subject, ...addext, '-out', csr]);
  return { key, csr };
}

/** Runs `tlskit sign … --json`, which must succeed. */
async function sign(t: ExecutionContext, args: string[]): Promise<SignCommandResult> {
  const result = await runTlskit(['sign', ...args, '--json']);
  t.is(result.code, 0, result.stderr || result.stdout);
  return JSON.parse(result.stdout) as SignCommandResult;
}

/** openssl verify's verdict, stdout and stderr together (errors go to stderr). */
async function verify(args: string[]): Promise<{ code: number; output: string }> {
  const result = await runOpenssl(['verify', ...args]);
  return { code: result.code, output: result.stdout + result.stderr };
}

/** A self-signed CA made by tlskit with the ca profile. */
async function tlskitRoot(t: ExecutionContext, dir: string, name = 'root') {
  const request = await opensslRequest(dir, name, `/CN=tlskit ${name} CA`);
  const cert = join(dir, `${name}.pem`);
  await sign(t, [
    '--csr',
    request.csr,
    '--self-key',
    request.key,
    '--profile',
    'ca',
    '--out',
    cert,
  ]);
  return { cert, key: request.key };
}

for (const keyType of KEY_TYPES) {
  test(`${keyType.label}: a self-signed server certificate passes openssl's checks`, async (t) => {
    const dir = await makeTempDir(t);
    const request = await opensslRequest(dir, 'server', '/CN=localhost', {
      genpkey: keyType.genpkey,
      addext: [SERVER_SANS],
    });
    const cert = join(dir, 'server.pem');
    const result = await sign(t, ['--csr', request.csr, '--self-key', request.key, '--out', cert]);
    t.is(result.signatureAlgorithm, keyType.signatureAlgorithm);
    t.deepEqual(result.sans, ['DNS:localhost', 'IP:127.0.0.1']);
    t.is(result.file, cert);

    const verdict = await verify(['-purpose', 'sslserver', '-CAfile', cert, cert]);
    t.is(verdict.output.trim(), `${cert}: OK`);
    t.is(
      await openssl(['x509', '-in', cert, '-noout', '-serial', '-fingerprint', '-sha256']),
      `serial=${result.serial}\nsha256 Fingerprint=${result.fingerprint256}\n`,
    );
    const hosts = await openssl([
      'x509',
      '-in',
      cert,
      '-noout',
      '-checkhost',
      'localhost',
      '-checkip',
      '127.0.0.1',
    ]);
    t.regex(hosts, /Hostname localhost does match certificate/);
    t.regex(hosts, /IP 127\.0\.0\.1 does match certificate/);
    const wrong = await openssl(['x509', '-in', cert, '-noout', '-checkhost', 'wrong.test']);
    t.regex(wrong, /Hostname wrong\.test does NOT match certificate/);
    const text = await openssl(['x509', '-in', cert, '-noout', '-text']);
    t.regex(text, new RegExp(`Signature Algorithm: ${keyType.signatureAlgorithm}`));
    t.regex(text, /DNS:localhost, IP Address:127\.0\.0\.1/);
  });
}

test('a self-signed leaf without keyCertSign still verifies as its own anchor', async (t) => {
  // OpenSSL 1.1 did not treat it as self-signed (openssl#1418); OpenSSL 3 does, also with
  // -check_ss_sig, which verifies the self-signature itself.
  const dir = await makeTempDir(t);
  const request = await opensslRequest(dir, 'leaf', '/CN=localhost', { addext: [SERVER_SANS] });
  const cert = join(dir, 'leaf.pem');
  await sign(t, ['--csr', request.csr, '--self-key', request.key, '--out', cert]);
  const usage = await openssl(['x509', '-in', cert, '-noout', '-ext', 'keyUsage']);
  t.notRegex(usage, /Certificate Sign/);
  const verdict = await verify(['-check_ss_sig', '-x509_strict', '-CAfile', cert, cert]);
  t.is(verdict.output.trim(), `${cert}: OK`);
});

test('a CA-signed server certificate verifies against the tlskit root', async (t) => {
  const dir = await makeTempDir(t);
  const root = await tlskitRoot(t, dir);
  const request = await opensslRequest(dir, 'server', '/CN=localhost', { addext: [SERVER_SANS] });
  const cert = join(dir, 'server.pem');
  const result = await sign(t, [
    '--csr',
    request.csr,
    '--ca-cert',
    root.cert,
    '--ca-key',
    root.key,
    '--out',
    cert,
  ]);
  t.is(result.issuer, 'CN=tlskit root CA');
  const verdict = await verify([
    '-x509_strict',
    '-purpose',
    'sslserver',
    '-CAfile',
    root.cert,
    cert,
  ]);
  t.is(verdict.output.trim(), `${cert}: OK`);
  const rootSki = await openssl([
    'x509',
    '-in',
    root.cert,
    '-noout',
    '-ext',
    'subjectKeyIdentifier',
  ]);
  const leafAki = await openssl(['x509', '-in', cert, '-noout', '-ext', 'authorityKeyIdentifier']);
  t.is(leafAki.split('\n')[1]?.trim(), rootSki.split('\n')[1]?.trim());
});

test('root → intermediate → leaf verifies with -untrusted, and not without it', async (t) => {
  const dir = await makeTempDir(t);
  const root = await tlskitRoot(t, dir);
  const middle = await opensslRequest(dir, 'intermediate', '/CN=tlskit intermediate CA', {
    genpkey: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  });
  const middleCert = join(dir, 'intermediate.pem');
  await sign(t, [
    '--csr',
    middle.csr,
    '--ca-cert',
    root.cert,
    '--ca-key',
    root.key,
    '--profile',
    'intermediate',
    '--out',
    middleCert,
  ]);
  const leaf = await opensslRequest(dir, 'leaf', '/CN=localhost', {
    genpkey: ['-algorithm', 'ED25519'],
    addext: [SERVER_SANS],
  });
  const leafCert = join(dir, 'leaf.pem');
  await sign(t, [
    '--csr',
    leaf.csr,
    '--ca-cert',
    middleCert,
    '--ca-key',
    middle.key,
    '--out',
    leafCert,
  ]);
  const chained = await verify([
    '-x509_strict',
    '-purpose',
    'sslserver',
    '-CAfile',
    root.cert,
    '-untrusted',
    middleCert,
    leafCert,
  ]);
  t.is(chained.output.trim(), `${leafCert}: OK`);
  const alone = await verify(['-CAfile', root.cert, leafCert]);
  t.not(alone.code, 0);
  t.regex(alone.output, /error 20 at 0 depth lookup: unable to get local issuer certificate/);
  const text = await openssl(['x509', '-in', middleCert, '-noout', '-ext', 'basicConstraints']);
  t.regex(text, /critical\s+CA:TRUE, pathlen:0/);
});

test('a pathlen 0 intermediate refuses to issue a CA certificate', async (t) => {
  const dir = await makeTempDir(t);
  const root = await tlskitRoot(t, dir);
  const middle = await opensslRequest(dir, 'intermediate', '/CN=tlskit intermediate CA');
  const middleCert = join(dir, 'intermediate.pem');
  await sign(t, [
    '--csr',
    middle.csr,
    '--ca-cert',
    root.cert,
    '--ca-key',
    root.key,
    '--profile',
    'intermediate',
    '--out',
    middleCert,
  ]);
  const below = await opensslRequest(dir, 'below', '/CN=too deep');
  const out = join(dir, 'below.pem');
  const result = await runTlskit([
    'sign',
    '--csr',
    below.csr,
    '--ca-cert',
    middleCert,
    '--ca-key',
    middle.key,
    '--profile',
    'intermediate',
    '--out',
    out,
  ]);
  t.is(result.code, ExitCode.badInput);
  t.regex(result.stderr, /pathlen 0: it cannot issue CA certificates/);
});

test('expired and not-yet-valid certificates fail openssl verify with the right error', async (t) => {
  const dir = await makeTempDir(t);
  const root = await tlskitRoot(t, dir);
  const request = await opensslRequest(dir, 'server', '/CN=localhost', { addext: [SERVER_SANS] });
  const signWith = (out: string, times: string[]) =>
    sign(t, [
      '--csr',
      request.csr,
      '--ca-cert',
      root.cert,
      '--ca-key',
      root.key,
      ...times,
      '--out',
      out,
    ]);
  const expired = join(dir, 'expired.pem');
  await signWith(expired, ['--not-before', '-10d', '--not-after', '-1d']);
  const expiredVerdict = await verify(['-CAfile', root.cert, expired]);
  t.not(expiredVerdict.code, 0);
  t.regex(expiredVerdict.output, /error 10 at 0 depth lookup: certificate has expired/);
  const future = join(dir, 'future.pem');
  await signWith(future, ['--not-before', '+1d']);
  const futureVerdict = await verify(['-CAfile', root.cert, future]);
  t.not(futureVerdict.code, 0);
  t.regex(futureVerdict.output, /error 9 at 0 depth lookup: certificate is not yet valid/);
});

test('SANs and the exact subject of an openssl CSR are carried; its CA request is not', async (t) => {
  const dir = await makeTempDir(t);
  const subject =
    '/C=GB/ST=Greater London/O=Example Ltd/OU=R&D/CN=www.example.com/emailAddress=ops@example.com';
  const request = await opensslRequest(dir, 'req', subject, {
    addext: [
      'subjectAltName=DNS:www.example.com,DNS:*.example.com,IP:::1,email:ops@example.com,URI:https://example.com/',
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign',
    ],
  });
  const cert = join(dir, 'cert.pem');
  const result = await sign(t, ['--csr', request.csr, '--self-key', request.key, '--out', cert]);
  t.deepEqual(result.sans, [
    'DNS:www.example.com',
    'DNS:*.example.com',
    'IP:::1',
    'email:ops@example.com',
    'URI:https://example.com/',
  ]);
  const extensions = await openssl([
    'x509',
    '-in',
    cert,
    '-noout',
    '-ext',
    'subjectAltName,basicConstraints,keyUsage',
  ]);
  t.regex(
    extensions,
    /DNS:www\.example\.com, DNS:\*\.example\.com, IP Address:0:0:0:0:0:0:0:1, email:ops@example\.com, URI:https:\/\/example\.com\//,
  );
  t.regex(extensions, /CA:FALSE/);
  t.notRegex(extensions, /Certificate Sign/);
  const names = ['-noout', '-subject', '-nameopt', 'RFC2253'];
  t.is(
    await openssl(['x509', '-in', cert, ...names]),
    await openssl(['req', '-in', request.csr, ...names]),
  );
  const requestDer = await pemDer(request.csr);
  const certificateDer = await pemDer(cert);
  t.is(
    derHex(AsnConvert.parse(certificateDer, Certificate).tbsCertificate.subject),
    derHex(AsnConvert.parse(requestDer, CertificationRequest).certificationRequestInfo.subject),
  );
});

test('a CA made by openssl signs through tlskit, and its key identifier is used', async (t) => {
  const dir = await makeTempDir(t);
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  await openssl(['genpkey', ...EC_P256, '-out', caKey]);
  await openssl([
    'req',
    '-x509',
    '-key',
    caKey,
    '-subj',
    '/O=openssl/CN=openssl CA',
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    caCert,
  ]);
  const request = await opensslRequest(dir, 'server', '/CN=localhost', { addext: [SERVER_SANS] });
  const cert = join(dir, 'server.pem');
  const result = await sign(t, [
    '--csr',
    request.csr,
    '--ca-cert',
    caCert,
    '--ca-key',
    caKey,
    '--out',
    cert,
  ]);
  t.is(result.issuer, 'O=openssl, CN=openssl CA');
  const verdict = await verify(['-x509_strict', '-purpose', 'sslserver', '-CAfile', caCert, cert]);
  t.is(verdict.output.trim(), `${cert}: OK`);
  const caSki = await openssl(['x509', '-in', caCert, '-noout', '-ext', 'subjectKeyIdentifier']);
  const aki = await openssl(['x509', '-in', cert, '-noout', '-ext', 'authorityKeyIdentifier']);
  t.is(aki.split('\n')[1]?.trim(), caSki.split('\n')[1]?.trim());
});

test('CLI: human output in mkcert voice, file mode 0644', async (t) => {
  const dir = await makeTempDir(t);
  const request = await opensslRequest(dir, 'server', '/CN=localhost', { addext: [SERVER_SANS] });
  const cert = join(dir, 'server.pem');
  const result = await runTlskit([
    'sign',
    '--csr',
    request.csr,
    '--self-key',
    request.key,
    '--days',
    '30',
    '--out',
    cert,
  ]);
  t.is(result.code, 0, result.stderr);
  t.regex(
    result.stdout,
    /^Created a new server certificate valid for: localhost, 127\.0\.0\.1 📜$/m,
  );
  t.regex(result.stdout, /self-signed, serial [0-9A-F]+ \(ecdsa-with-SHA256\)/);
  // The date the certificate itself holds, so the test cannot straddle midnight.
  const expiry = new Date(new X509Certificate(await readFile(cert)).validTo);
  const day = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(expiry);
  t.true(expiry.getTime() - Date.now() > 29 * 86_400_000);
  t.regex(result.stdout, new RegExp(`It will expire on ${day} 🗓`));
  t.is((await stat(cert)).mode & 0o777, 0o644);
});

test('CLI: a key that does not match the CSR: exit 3, one line, no file', async (t) => {
  const dir = await makeTempDir(t);
  const request = await opensslRequest(dir, 'server', '/CN=localhost', { addext: [SERVER_SANS] });
  const other = await opensslRequest(dir, 'other', '/CN=other');
  const out = join(dir, 'server.pem');
  const result = await runTlskit([
    'sign',
    '--csr',
    request.csr,
    '--self-key',
    other.key,
    '--out',
    out,
  ]);
  t.is(result.code, ExitCode.badInput);
  t.is(result.stdout, '');
  t.is(
    result.stderr,
    `tlskit: ${other.key} does not match the CSR's public key (give the key the request was made with)\n`,
  );
  t.false((await readdir(dir)).includes('server.pem'));
});

test('CLI: an existing --out survives without --force, and is replaced with it', async (t) => {
  const dir = await makeTempDir(t);
  const request = await opensslRequest(dir, 'server', '/CN=localhost', { addext: [SERVER_SANS] });
  const out = join(dir, 'server.pem');
  await writeFile(out, 'precious');
  const args = ['sign', '--csr', request.csr, '--self-key', request.key, '--out', out];
  const refused = await runTlskit(args);
  t.is(refused.code, ExitCode.refused);
  t.is(refused.stderr, `tlskit: ${out} already exists (use --force to overwrite)\n`);
  t.is(await readFile(out, 'utf8'), 'precious');
  const forced = await runTlskit([...args, '--force']);
  t.is(forced.code, 0, forced.stderr);
  t.regex(await readFile(out, 'utf8'), /^-----BEGIN CERTIFICATE-----\n/);
});

test('CLI: an openssl CSR that names nothing (empty subject, no SANs) is refused', async (t) => {
  const dir = await makeTempDir(t);
  const request = await opensslRequest(dir, 'empty', '/');
  const out = join(dir, 'empty.pem');
  const result = await runTlskit([
    'sign',
    '--csr',
    request.csr,
    '--self-key',
    request.key,
    '--out',
    out,
  ]);
  t.is(result.code, ExitCode.badInput);
  t.regex(result.stderr, /empty\.csr names nothing: its subject is empty and it has no SANs/);
  t.false((await readdir(dir)).includes('empty.pem'));
});

test('CLI: a non-CA certificate as --ca-cert is refused; no signer is a usage error', async (t) => {
  const dir = await makeTempDir(t);
  const request = await opensslRequest(dir, 'server', '/CN=localhost', { addext: [SERVER_SANS] });
  const leaf = join(dir, 'leaf.pem');
  await sign(t, ['--csr', request.csr, '--self-key', request.key, '--out', leaf]);
  const out = join(dir, 'out.pem');
  const notCa = await runTlskit([
    'sign',
    '--csr',
    request.csr,
    '--ca-cert',
    leaf,
    '--ca-key',
    request.key,
    '--out',
    out,
  ]);
  t.is(notCa.code, ExitCode.badInput);
  t.regex(notCa.stderr, /leaf\.pem is not a CA certificate/);
  const noSigner = await runTlskit(['sign', '--csr', request.csr, '--out', out]);
  t.is(noSigner.code, ExitCode.usage);
  t.is(noSigner.stderr.trim().split('\n').length, 1);
  t.false((await readdir(dir)).includes('out.pem'));
});

async function pemDer(path: string): Promise<Buffer> {
  const [block] = decodePem(await readFile(path, 'utf8'), path);
  if (!block) throw new Error(`no PEM block in ${path}`);
  return block.der;
}

function derHex(value: object): string {
  return Buffer.from(AsnConvert.serialize(value)).toString('hex');
}
