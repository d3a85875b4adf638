import test from 'ava';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { createCsr, readCsr } from '../../src/pki/csr.js';
import { parseSubject } from '../../src/pki/name.js';
import { parseSan } from '../../src/pki/san.js';
import { makeTempDir, openssl, runOpenssl, runTlskit } from '../helpers/index.js';

const SUBJECT = '/C=UK/ST=Acknack Ltd/O=node.js/CN=localhost';
const SANS = [
  'localhost',
  '*.example.com',
  '127.0.0.1',
  '::1',
  'email:admin@example.com',
  'URI:https://example.com/',
];
/** How `openssl req -text` (OpenSSL 3.0) prints SANS: IPv6 written out in full. */
const SANS_AS_OPENSSL_PRINTS =
  'DNS:localhost, DNS:*.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, ' +
  'email:admin@example.com, URI:https://example.com/';

const keyTypes: ReadonlyArray<[string, () => KeyObject, string]> = [
  [
    'rsa',
    () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    'sha256WithRSAEncryption',
  ],
  [
    'ec P-256',
    () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    'ecdsa-with-SHA256',
  ],
  [
    'ec P-384',
    () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
    'ecdsa-with-SHA384',
  ],
  [
    'ec P-521',
    () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey,
    'ecdsa-with-SHA512',
  ],
  ['ed25519', () => generateKeyPairSync('ed25519').privateKey, 'ED25519'],
  ['ed448', () => generateKeyPairSync('ed448').privateKey, 'ED448'],
];

for (const [name, makeKey, algorithm] of keyTypes) {
  test(`openssl verifies and reads our ${name} CSR`, async (t) => {
    const dir = await makeTempDir(t);
    const csr = createCsr({
      key: makeKey(),
      subject: parseSubject(SUBJECT),
      sans: SANS.map(parseSan),
    });
    const path = join(dir, 'our.csr');
    await writeFile(path, csr.pem);
    const verified = await runOpenssl(['req', '-in', path, '-verify', '-noout']);
    t.is(verified.code, 0, verified.stderr);
    t.regex(verified.stdout + verified.stderr, /self-signature verify OK/);
    const text = await openssl(['req', '-in', path, '-text', '-noout']);
    t.regex(text, /Version: 1 \(0x0\)/);
    t.true(text.includes('Subject: C = UK, ST = Acknack Ltd, O = node.js, CN = localhost'), text);
    t.true(text.includes('X509v3 Subject Alternative Name: \n'), 'not critical');
    t.true(text.includes(SANS_AS_OPENSSL_PRINTS), text);
    t.true(text.includes(`Signature Algorithm: ${algorithm}`), text);
  });
}

const subjects: ReadonlyArray<[string, string[]?]> = [
  [SUBJECT],
  ['/CN=multi+UID=user1/O=Example'],
  ['/UID=user1+CN=multi/O=Example'],
  ['/DC=com/DC=example/CN=host'],
  ['/C=DE/emailAddress=a@example.com/serialNumber=1234/CN=x'],
  ['/CN=a\\/b\\+c=d'],
  // openssl skips dotted OIDs it has no name for, so only registered ones compare.
  ['/2.5.4.97=VATGB-123/2.5.4.3=by-oid'],
  ['/street=1 Main St/title=Dr/GN=Ada/SN=Lovelace/pseudonym=al/postalCode=N1'],
  ['/name=Ada/generationQualifier=III/CN=x'],
  ['/jurisdictionC=US/jurisdictionST=Delaware/jurisdictionL=Wilmington/O=EV Corp/CN=ev.example'],
  ['/O=Bücher GmbH/CN=Grüße', ['-utf8']],
  ['/'],
];

for (const [subject, extra = []] of subjects) {
  test(`our subject encoding equals openssl's for ${JSON.stringify(subject)}`, async (t) => {
    const dir = await makeTempDir(t);
    const keyPath = join(dir, 'key.pem');
    await openssl(['genpkey', '-algorithm', 'ED25519', '-out', keyPath]);
    const theirs = join(dir, 'theirs.csr');
    // An empty subject needs a SAN, or the CSR says nothing about whom it is for.
    const addext = subject === '/' ? ['-addext', 'subjectAltName=DNS:x.example'] : [];
    await openssl([
      'req',
      '-new',
      '-key',
      keyPath,
      '-subj',
      subject,
      ...extra,
      ...addext,
      '-out',
      theirs,
    ]);
    const ours = join(dir, 'ours.csr');
    const key = (await import('node:crypto')).createPrivateKey(await readFile(keyPath));
    const sans = subject === '/' ? [parseSan('x.example')] : [];
    await writeFile(ours, createCsr({ key, subject: parseSubject(subject), sans }).pem);
    const show = (path: string) =>
      openssl(['req', '-in', path, '-subject', '-noout', '-nameopt', 'RFC2253']);
    t.is(await show(ours), await show(theirs));
    const subjectDer = async (path: string) =>
      Buffer.from(AsnConvert.serialize(readCsr(await readFile(path), path).subject)).toString(
        'hex',
      );
    t.is(await subjectDer(ours), await subjectDer(theirs), 'byte for byte, string types included');
  });
}

test('an RFC 4514 subject encodes as openssl encodes the -subj it reverses', async (t) => {
  const dir = await makeTempDir(t);
  const keyPath = join(dir, 'key.pem');
  await openssl(['genpkey', '-algorithm', 'ED25519', '-out', keyPath]);
  const theirs = join(dir, 'theirs.csr');
  await openssl(['req', '-new', '-key', keyPath, '-subj', SUBJECT, '-out', theirs]);
  const key = (await import('node:crypto')).createPrivateKey(await readFile(keyPath));
  const ours = createCsr({
    key,
    subject: parseSubject('CN=localhost,O=node.js,ST=Acknack Ltd,C=UK'),
  });
  t.deepEqual(readCsr(ours.der, 'ours').subject, readCsr(await readFile(theirs), 'theirs').subject);
});

const opensslKeys: ReadonlyArray<[string, string[], string]> = [
  [
    'rsa',
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    'sha256WithRSAEncryption',
  ],
  [
    'ec',
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    'ecdsa-with-SHA256',
  ],
  ['ed25519', ['genpkey', '-algorithm', 'ED25519'], 'ED25519'],
];

for (const [name, genkey, algorithm] of opensslKeys) {
  test(`we read a CSR made by openssl req -new (${name})`, async (t) => {
    const dir = await makeTempDir(t);
    const keyPath = join(dir, 'key.pem');
    const csrPath = join(dir, 'req.csr');
    await openssl([...genkey, '-out', keyPath]);
    await openssl([
      'req',
      '-new',
      '-key',
      keyPath,
      '-subj',
      '/C=GB/O=Example Ltd/CN=peer.example',
      '-addext',
      'subjectAltName=DNS:peer.example,DNS:*.peer.example,IP:192.0.2.1,IP:2001:db8::5,email:ops@peer.example,URI:spiffe://peer/x',
      '-out',
      csrPath,
    ]);
    const request = readCsr(await readFile(csrPath), csrPath);
    t.true(request.signatureValid);
    t.is(request.subjectText, 'C=GB, O=Example Ltd, CN=peer.example');
    t.is(request.signatureAlgorithm.name, algorithm);
    t.deepEqual(request.sans, [
      { type: 'dns', value: 'peer.example' },
      { type: 'dns', value: '*.peer.example' },
      { type: 'ip', value: '192.0.2.1' },
      { type: 'ip', value: '2001:db8::5' },
      { type: 'email', value: 'ops@peer.example' },
      { type: 'uri', value: 'spiffe://peer/x' },
    ]);
    const publicKey = await openssl(['pkey', '-in', keyPath, '-pubout', '-outform', 'PEM']);
    t.is(request.publicKey.export({ type: 'spki', format: 'pem' }).toString(), publicKey);
  });
}

// --- tlskit csr, end to end --------------------------------------------------------------

const PASS = 'tlskit-interop';

/** Keys in every form openssl writes them, and the flags tlskit needs to read each. */
const keyForms: ReadonlyArray<[string, (path: string) => string[][], string[]]> = [
  ['genrsa PKCS#8', (path) => [['genrsa', '-out', path, '2048']], []],
  ['genrsa -traditional PKCS#1', (path) => [['genrsa', '-traditional', '-out', path, '2048']], []],
  [
    'ecparam -genkey SEC1',
    (path) => [['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path]],
    [],
  ],
  ['genpkey Ed25519', (path) => [['genpkey', '-algorithm', 'ED25519', '-out', path]], []],
  [
    'encrypted PKCS#8',
    (path) => [
      [
        'genpkey',
        '-algorithm',
        'EC',
        '-pkeyopt',
        'ec_paramgen_curve:P-384',
        '-out',
        `${path}.plain`,
      ],
      [
        'pkcs8',
        '-topk8',
        '-v2',
        'aes256',
        '-in',
        `${path}.plain`,
        '-passout',
        `pass:${PASS}`,
        '-out',
        path,
      ],
    ],
    ['--passin', `pass:${PASS}`],
  ],
  [
    'DER PKCS#8',
    (path) => [
      ['genpkey', '-algorithm', 'ED448', '-out', `${path}.pem`],
      ['pkey', '-in', `${path}.pem`, '-outform', 'DER', '-out', path],
    ],
    [],
  ],
];

for (const [form, makeKey, flags] of keyForms) {
  test(`tlskit csr with an openssl key (${form}) makes a CSR openssl verifies`, async (t) => {
    const dir = await makeTempDir(t);
    const keyPath = join(dir, 'server.key');
    for (const args of makeKey(keyPath)) await openssl(args);
    const out = join(dir, 'server.csr');
    const run = await runTlskit([
      'csr',
      '--key',
      keyPath,
      ...flags,
      '--subject',
      '/CN=e2e.example/O=tlskit',
      '--san',
      'e2e.example',
      '--san',
      'IP:10.1.2.3',
      '--out',
      out,
    ]);
    t.is(run.code, 0, run.stderr);
    t.regex(
      run.stdout,
      /Created a new certificate signing request for "CN=e2e\.example, O=tlskit"/,
    );
    t.true(run.stdout.includes(out));
    t.is((await stat(out)).mode & 0o777, 0o644);
    const verified = await runOpenssl(['req', '-in', out, '-verify', '-noout', '-text']);
    t.is(verified.code, 0, verified.stderr);
    t.regex(verified.stderr + verified.stdout, /self-signature verify OK/);
    t.true(verified.stdout.includes('DNS:e2e.example, IP Address:10.1.2.3'), verified.stdout);
  });
}

test('tlskit csr writes PEM to standard output without --out, and DER with --format der', async (t) => {
  const dir = await makeTempDir(t);
  const keyPath = join(dir, 'k.pem');
  await openssl(['genpkey', '-algorithm', 'ED25519', '-out', keyPath]);
  const run = await runTlskit(['csr', '--key', keyPath, '--subject', 'CN=stdout.example']);
  t.is(run.code, 0, run.stderr);
  t.regex(
    run.stdout,
    /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/,
  );
  t.is(run.stderr, '');
  const verified = await runOpenssl(['req', '-verify', '-noout'], { input: run.stdout });
  t.is(verified.code, 0, verified.stderr);
  const der = join(dir, 'r.der');
  const runDer = await runTlskit([
    'csr',
    '--key',
    keyPath,
    '--subject',
    '/CN=x',
    '--format',
    'der',
    '--out',
    der,
  ]);
  t.is(runDer.code, 0, runDer.stderr);
  const verifiedDer = await runOpenssl(['req', '-inform', 'DER', '-in', der, '-verify', '-noout']);
  t.is(verifiedDer.code, 0, verifiedDer.stderr);
});

test('tlskit csr --json reports what it made', async (t) => {
  const dir = await makeTempDir(t);
  const keyPath = join(dir, 'k.pem');
  await openssl([
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-384',
    '-out',
    keyPath,
  ]);
  const out = join(dir, 'r.csr');
  const run = await runTlskit([
    'csr',
    '--key',
    keyPath,
    '--subject',
    '/C=GB/CN=json.example',
    '--san',
    'json.example',
    '--out',
    out,
    '--json',
  ]);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  t.like(result, {
    subject: 'C=GB, CN=json.example',
    subjectRfc4514: 'CN=json.example,C=GB',
    sans: [{ type: 'dns', value: 'json.example' }],
    keyType: 'ec',
    keyBits: 384,
    curve: 'P-384',
    signatureAlgorithm: 'ecdsa-with-SHA384',
    format: 'pem',
    file: out,
  });
  t.is(result.pem, await readFile(out, 'utf8'));
  // To standard output under --json, the request travels inside the JSON only.
  const toStdout = await runTlskit(['csr', '--key', keyPath, '--subject', '/CN=x', '--json']);
  t.is(toStdout.code, 0, toStdout.stderr);
  const inline = JSON.parse(toStdout.stdout);
  t.is(inline.file, null);
  t.regex(inline.pem, /^-----BEGIN CERTIFICATE REQUEST-----/);
});

test('tlskit csr without --subject and without a terminal is a usage error', async (t) => {
  const dir = await makeTempDir(t);
  const keyPath = join(dir, 'k.pem');
  await openssl(['genpkey', '-algorithm', 'ED25519', '-out', keyPath]);
  const run = await runTlskit(['csr', '--key', keyPath, '--out', join(dir, 'r.csr')]);
  t.is(run.code, 2);
  t.regex(run.stderr, /^tlskit: no --subject given, .*--subject/);
  t.is(run.stderr.trimEnd().split('\n').length, 1);
  t.deepEqual(await readdir(dir), ['k.pem']);
});

const badInputs: ReadonlyArray<[string, string[], RegExp]> = [
  [
    'an unknown attribute',
    ['--subject', '/CN=x/XX=y'],
    /^tlskit: subject "\/CN=x\/XX=y": unknown attribute "XX"/,
  ],
  [
    'a 3-letter country',
    ['--subject', '/C=GBR/CN=x'],
    /C must be a 2-letter country code, not "GBR"/,
  ],
  [
    'an IP as a DNS SAN',
    ['--subject', '/CN=x', '--san', 'DNS:10.0.0.1'],
    /"10\.0\.0\.1" is an IP address, not a DNS name \(write it as IP:10\.0\.0\.1\)/,
  ],
];

for (const [what, args, message] of badInputs) {
  test(`tlskit csr with ${what} fails in one line and writes nothing`, async (t) => {
    const dir = await makeTempDir(t);
    const keyPath = join(dir, 'k.pem');
    await openssl(['genpkey', '-algorithm', 'ED25519', '-out', keyPath]);
    const run = await runTlskit(['csr', '--key', keyPath, ...args, '--out', join(dir, 'r.csr')]);
    t.is(run.code, 3);
    t.regex(run.stderr, message);
    t.is(run.stderr.trimEnd().split('\n').length, 1);
    t.deepEqual(await readdir(dir), ['k.pem']);
  });
}

test('tlskit csr refuses to overwrite without --force, and overwrites with it', async (t) => {
  const dir = await makeTempDir(t);
  const keyPath = join(dir, 'k.pem');
  await openssl(['genpkey', '-algorithm', 'ED25519', '-out', keyPath]);
  const out = join(dir, 'r.csr');
  await writeFile(out, 'precious');
  const refused = await runTlskit(['csr', '--key', keyPath, '--subject', '/CN=x', '--out', out]);
  t.is(refused.code, 4);
  t.regex(refused.stderr, /already exists \(use --force to overwrite\)/);
  t.is(await readFile(out, 'utf8'), 'precious');
  const forced = await runTlskit([
    'csr',
    '--key',
    keyPath,
    '--subject',
    '/CN=x',
    '--out',
    out,
    '--force',
  ]);
  t.is(forced.code, 0, forced.stderr);
  t.regex(await readFile(out, 'utf8'), /^-----BEGIN CERTIFICATE REQUEST-----/);
});

test('tlskit csr with an encrypted key and no --passin, off a terminal, says to use --passin', async (t) => {
  const dir = await makeTempDir(t);
  const keyPath = join(dir, 'k.pem');
  await openssl([
    'genpkey',
    '-algorithm',
    'ED25519',
    '-aes256',
    '-pass',
    `pass:${PASS}`,
    '-out',
    keyPath,
  ]);
  const run = await runTlskit([
    'csr',
    '--key',
    keyPath,
    '--subject',
    '/CN=x',
    '--out',
    join(dir, 'r.csr'),
  ]);
  t.is(run.code, 2);
  t.regex(run.stderr, /--passin/);
  const wrong = await runTlskit([
    'csr',
    '--key',
    keyPath,
    '--passin',
    'pass:nope',
    '--subject',
    '/CN=x',
    '--out',
    join(dir, 'r.csr'),
  ]);
  t.is(wrong.code, 3);
  t.regex(wrong.stderr, /wrong passphrase/);
  t.deepEqual(await readdir(dir), ['k.pem']);
});
