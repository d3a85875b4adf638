import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FileExistsError,
  InputError,
  RefusedError,
  UsageError,
  WrongPassphraseError,
} from '../../../../src/errors.js';
import { decodePem } from '../../../../src/io/pem.js';
import { defaultOutputName, issueFromCa } from '../../../../src/pki/ca/issue.js';
import { parseIndex } from '../../../../src/pki/ca/openssl-index.js';
import { createCsr } from '../../../../src/pki/csr.js';
import { generateKeyPair } from '../../../../src/pki/keys.js';
import { encodeName, parseSubject } from '../../../../src/pki/name.js';
import { parseSan } from '../../../../src/pki/san.js';
import { makeChain, makeRoot, passphrase } from './ca-fixture.js';

const certificatesIn = async (path: string) =>
  decodePem(await readFile(path, 'utf8')).map((block) => new X509Certificate(block.der));

const indexOf = async (dir: string) =>
  parseIndex(await readFile(join(dir, 'index.txt'), 'utf8'), 'index.txt');

test('issues a server certificate with a new key, and records it as openssl ca would', async (t) => {
  const { work, root } = await makeRoot(t);
  const out = join(work, 'www');
  const result = await issueFromCa({ dir: root, commonName: 'www.example.test', out });
  t.is(result.profile, 'server');
  t.is(result.subject, 'CN=www.example.test');
  t.is(result.issuer, 'CN=tlskit Root CA');
  t.deepEqual(result.sans, ['DNS:www.example.test'], 'the CN becomes the SAN');
  t.true(result.keyGenerated);
  t.regex(result.serial, /^[0-9A-F]{30,34}$/);
  t.deepEqual(result.files, {
    certificate: `${out}.cert.pem`,
    key: `${out}.key.pem`,
    chain: `${out}.chain.pem`,
    fullchain: `${out}.fullchain.pem`,
  });
  t.is((await stat(`${out}.key.pem`)).mode & 0o777, 0o600);
  t.is((await stat(`${out}.cert.pem`)).mode & 0o777, 0o644);
  const [leaf] = await certificatesIn(`${out}.cert.pem`);
  const [rootCertificate] = await certificatesIn(join(root, 'ca.cert.pem'));
  t.true(leaf!.verify(rootCertificate!.publicKey));
  t.is(leaf!.serialNumber, result.serial);
  t.is(leaf!.subjectAltName, 'DNS:www.example.test');
  t.true(
    leaf!.checkPrivateKey(
      (await import('node:crypto')).createPrivateKey(await readFile(`${out}.key.pem`)),
    ),
  );
  // Issued by the root: the chain is the root, the fullchain the leaf alone.
  t.deepEqual(
    (await certificatesIn(`${out}.chain.pem`)).map((c) => c.subject),
    [rootCertificate!.subject],
  );
  t.deepEqual(
    (await certificatesIn(`${out}.fullchain.pem`)).map((c) => c.serialNumber),
    [result.serial],
  );
  const [entry] = await indexOf(root);
  t.like(entry, {
    status: 'V',
    serial: result.serial,
    file: 'unknown',
    subject: '/CN=www.example.test',
  });
  t.is(entry?.expires.toISOString(), result.notAfter);
  t.is(await readFile(result.recorded, 'utf8'), await readFile(`${out}.cert.pem`, 'utf8'));
  t.is(result.recorded, join(root, 'newcerts', `${result.serial}.pem`));
  const next = BigInt(`0x${result.serial}`) + 1n;
  t.is(BigInt(`0x${(await readFile(join(root, 'serial'), 'utf8')).trim()}`), next);
});

test('from an intermediate: chain is intermediate + root, fullchain leaf + intermediate', async (t) => {
  const { work, inter } = await makeChain(t);
  const out = join(work, 'api');
  const result = await issueFromCa({ dir: inter, sans: ['api.example.test', '192.0.2.10'], out });
  t.is(result.subject, 'CN=api.example.test', 'the first SAN names the subject');
  t.deepEqual(result.sans, ['DNS:api.example.test', 'IP:192.0.2.10']);
  const chain = await certificatesIn(`${out}.chain.pem`);
  t.deepEqual(
    chain.map((c) => c.subject),
    ['CN=tlskit Intermediate CA', 'CN=tlskit Root CA'],
  );
  const fullchain = await certificatesIn(`${out}.fullchain.pem`);
  t.deepEqual(
    fullchain.map((c) => c.subject),
    ['CN=api.example.test', 'CN=tlskit Intermediate CA'],
  );
  t.true(fullchain[0]!.verify(chain[0]!.publicKey));
});

test('from a CSR: the subject and SANs are kept exactly, and there is no key file', async (t) => {
  const { work, root } = await makeRoot(t);
  const { privateKey } = await generateKeyPair({ type: 'ec' });
  const csr = createCsr({
    key: privateKey,
    subject: parseSubject('/C=GB/O=Example/CN=shop.example.test'),
    sans: ['shop.example.test', 'email:ops@example.test'].map(parseSan),
  });
  const csrPath = join(work, 'shop.csr');
  await writeFile(csrPath, csr.pem);
  const result = await issueFromCa({
    dir: root,
    csrPath,
    profile: 'server-client',
    days: 30,
    out: join(work, 'shop'),
  });
  t.is(result.subject, 'C=GB, O=Example, CN=shop.example.test');
  t.deepEqual(result.sans, ['DNS:shop.example.test', 'email:ops@example.test']);
  t.false(result.keyGenerated);
  t.is(result.files.key, null);
  const [leaf] = await certificatesIn(result.files.certificate);
  t.is(leaf!.subject, 'C=GB\nO=Example\nCN=shop.example.test');
  t.is(Date.parse(result.notAfter) - Date.parse(result.notBefore), 30 * 86_400_000 + 60_000);
  t.is((await indexOf(root))[0]?.subject, '/C=GB/O=Example/CN=shop.example.test');
});

test('without --out, files are named after the CSR or the first name', (t) => {
  const subject = encodeName(parseSubject('/CN=www.example.test'));
  t.is(defaultOutputName(subject, [], 'reqs/shop.csr'), 'shop');
  t.is(defaultOutputName(subject, []), 'www.example.test');
  t.is(defaultOutputName(subject, [parseSan('*.example.test')]), '_wildcard.example.test');
  t.is(defaultOutputName(encodeName(parseSubject('/CN=Alice Smith/O=x')), []), 'Alice_Smith');
  t.is(defaultOutputName(encodeName(parseSubject('/')), [parseSan('2001:db8::1')]), '2001_db8__1');
});

test('a client certificate for a plain name gets no SAN', async (t) => {
  const { work, root } = await makeRoot(t);
  const result = await issueFromCa({
    dir: root,
    commonName: 'alice',
    profile: 'client',
    out: join(work, 'alice'),
  });
  t.deepEqual(result.sans, []);
  const [leaf] = await certificatesIn(result.files.certificate);
  t.is(leaf!.subjectAltName, undefined);
  t.deepEqual(leaf!.keyUsage, ['1.3.6.1.5.5.7.3.2']);
});

test('the CA config puts CRL and OCSP URLs into what it issues', async (t) => {
  const { work, root } = await makeRoot(t, {
    crlUrls: ['http://ca.example.test/root.crl'],
    ocspUrls: ['http://ocsp.example.test/'],
  });
  const result = await issueFromCa({
    dir: root,
    commonName: 'x.example.test',
    out: join(work, 'x'),
  });
  const [leaf] = await certificatesIn(result.files.certificate);
  t.is(leaf!.infoAccess, 'OCSP - URI:http://ocsp.example.test/');
  t.true(
    leaf!.raw.includes(Buffer.from('http://ca.example.test/root.crl')),
    'CRL distribution point',
  );
  const [rootCertificate] = await certificatesIn(join(root, 'ca.cert.pem'));
  t.is(rootCertificate!.infoAccess, undefined, 'the CA itself carries none');
});

/** Runs a refused issue and checks that neither the CA nor the output folder changed. */
async function refusedWithoutTrace(
  t: import('ava').ExecutionContext,
  dir: string,
  work: string,
  attempt: () => Promise<unknown>,
  expected: { instanceOf: new (...args: never[]) => Error; message: RegExp },
): Promise<void> {
  const indexBefore = await readFile(join(dir, 'index.txt'), 'utf8');
  const serialBefore = await readFile(join(dir, 'serial'), 'utf8');
  const workBefore = (await readdir(work)).sort();
  const newcertsBefore = await readdir(join(dir, 'newcerts'));
  await t.throwsAsync(attempt(), expected);
  t.is(await readFile(join(dir, 'index.txt'), 'utf8'), indexBefore);
  t.is(await readFile(join(dir, 'serial'), 'utf8'), serialBefore);
  t.deepEqual((await readdir(work)).sort(), workBefore);
  t.deepEqual(await readdir(join(dir, 'newcerts')), newcertsBefore);
}

test('names outside the name constraints are refused, leaving no trace', async (t) => {
  const { work, inter } = await makeChain(t, {
    permit: ['DNS:.example.test'],
    exclude: ['DNS:.corp.example.test'],
  });
  const out = join(work, 'bad');
  await refusedWithoutTrace(
    t,
    inter,
    work,
    () => issueFromCa({ dir: inter, commonName: 'evil.other.test', out }),
    {
      instanceOf: RefusedError,
      message:
        /DNS:evil\.other\.test is outside the names .*root.* permits|DNS:evil\.other\.test is outside the names .*inter.* permits/,
    },
  );
  await refusedWithoutTrace(
    t,
    inter,
    work,
    () => issueFromCa({ dir: inter, sans: ['db.corp.example.test'], out }),
    {
      instanceOf: RefusedError,
      message: /excluded/,
    },
  );
});

test("the CA's own policy in tlskit-ca.json can narrow what it issues", async (t) => {
  const { work, root } = await makeRoot(t);
  const configPath = join(root, 'tlskit-ca.json');
  const config = JSON.parse(await readFile(configPath, 'utf8'));
  config.nameConstraints.permitted = ['DNS:.lab.example.test'];
  await writeFile(configPath, JSON.stringify(config));
  await refusedWithoutTrace(
    t,
    root,
    work,
    () => issueFromCa({ dir: root, commonName: 'www.example.test', out: join(work, 'w') }),
    {
      instanceOf: RefusedError,
      message: /the policy in .*tlskit-ca\.json permits \(DNS:\.lab\.example\.test\)/,
    },
  );
  await issueFromCa({ dir: root, commonName: 'a.lab.example.test', out: join(work, 'ok') });
});

test('a CA certificate from a pathlen 0 intermediate is refused', async (t) => {
  const { work, inter } = await makeChain(t);
  await refusedWithoutTrace(
    t,
    inter,
    work,
    () =>
      issueFromCa({
        dir: inter,
        commonName: 'Sub CA',
        profile: 'intermediate',
        out: join(work, 'sub'),
      }),
    {
      instanceOf: RefusedError,
      message: /pathlen 0: it cannot issue CA certificates/,
    },
  );
});

test('an explicit lifetime beyond the CA is refused; a default one is cut to the CA', async (t) => {
  const { work, inter } = await makeChain(t);
  await refusedWithoutTrace(
    t,
    inter,
    work,
    () =>
      issueFromCa({ dir: inter, commonName: 'x.example.test', days: 2000, out: join(work, 'x') }),
    {
      instanceOf: RefusedError,
      message: /would outlive/,
    },
  );
  const configPath = join(inter, 'tlskit-ca.json');
  const config = JSON.parse(await readFile(configPath, 'utf8'));
  config.defaults.days = 5000;
  await writeFile(configPath, JSON.stringify(config));
  const result = await issueFromCa({
    dir: inter,
    commonName: 'y.example.test',
    out: join(work, 'y'),
  });
  const [ca] = await certificatesIn(join(inter, 'ca.cert.pem'));
  t.is(Date.parse(result.notAfter), Date.parse(ca!.validTo));
});

test('an existing output is refused before anything is issued; --force replaces it', async (t) => {
  const { work, root } = await makeRoot(t);
  const out = join(work, 'www');
  await writeFile(`${out}.chain.pem`, 'mine');
  await refusedWithoutTrace(
    t,
    root,
    work,
    () => issueFromCa({ dir: root, commonName: 'www.example.test', out }),
    {
      instanceOf: FileExistsError,
      message: /www\.chain\.pem already exists/,
    },
  );
  t.is(await readFile(`${out}.chain.pem`, 'utf8'), 'mine');
  await issueFromCa({ dir: root, commonName: 'www.example.test', out, force: true });
  t.regex(await readFile(`${out}.chain.pem`, 'utf8'), /BEGIN CERTIFICATE/);
});

test('a wrong CA passphrase, a bad CSR or conflicting flags change nothing', async (t) => {
  const { work, root } = await makeRoot(t, { passphrase: 'right-pass' });
  const out = join(work, 'x');
  await refusedWithoutTrace(
    t,
    root,
    work,
    () => issueFromCa({ dir: root, commonName: 'x.test', out, passphrase: passphrase('wrong') }),
    {
      instanceOf: WrongPassphraseError,
      message: /wrong passphrase for .*ca\.key\.pem/,
    },
  );
  const csrPath = join(work, 'bad.csr');
  await writeFile(csrPath, 'not a csr');
  await refusedWithoutTrace(
    t,
    root,
    work,
    () => issueFromCa({ dir: root, csrPath, out, passphrase: passphrase('right-pass') }),
    {
      instanceOf: InputError,
      message: /bad\.csr/,
    },
  );
  await refusedWithoutTrace(
    t,
    root,
    work,
    () => issueFromCa({ dir: root, csrPath, commonName: 'x', out }),
    {
      instanceOf: UsageError,
      message: /--csr brings its own/,
    },
  );
  await refusedWithoutTrace(t, root, work, () => issueFromCa({ dir: root, out }), {
    instanceOf: UsageError,
    message: /nothing to issue for/,
  });
  await issueFromCa({ dir: root, commonName: 'x.test', out, passphrase: passphrase('right-pass') });
  t.is((await indexOf(root)).length, 1);
});

test('a corrupt index.txt stops the issue with the line named, and writes nothing', async (t) => {
  const { work, root } = await makeRoot(t);
  await writeFile(join(root, 'index.txt'), 'V\tgarbage\n');
  await refusedWithoutTrace(
    t,
    root,
    work,
    () => issueFromCa({ dir: root, commonName: 'x.test', out: join(work, 'x') }),
    {
      instanceOf: InputError,
      message: /index\.txt: line 1: expected 6 tab-separated fields/,
    },
  );
  t.deepEqual(
    await readdir(root).then((names) => names.filter((n) => n.startsWith('.'))),
    [],
    'no lock left',
  );
});

test('serials are distinct across many concurrent issues in one process', async (t) => {
  const { work, root } = await makeRoot(t);
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      issueFromCa({ dir: root, commonName: `h${i}.example.test`, out: join(work, `h${i}`) }),
    ),
  );
  const serials = new Set(results.map((result) => result.serial));
  t.is(serials.size, 12);
  const entries = await indexOf(root);
  t.deepEqual(entries.map((entry) => entry.serial).sort(), [...serials].sort());
  t.is((await readdir(join(root, 'newcerts'))).length, 12);
});
