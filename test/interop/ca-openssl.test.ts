/**
 * `tlskit ca` against the real openssl: openssl judges what the CA makes (verify, with and without
 * -crl_check; crl -verify; the CRL's text), `openssl ca` keeps working on a tlskit CA folder, and
 * where tlskit refuses a certificate (name constraints, path length), openssl verify rejects the
 * same certificate made by openssl itself.
 */
import test, { type ExecutionContext } from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaCrlResult } from '../../src/pki/ca/crl.js';
import type { NewCaResult } from '../../src/pki/ca/init.js';
import { initCa } from '../../src/pki/ca/init.js';
import { issueFromCa, type CaIssueResult } from '../../src/pki/ca/issue.js';
import { generateCaCrl } from '../../src/pki/ca/crl.js';
import type { CaListResult } from '../../src/pki/ca/list.js';
import type { CaRevokeResult } from '../../src/pki/ca/revoke.js';
import { ExitCode } from '../../src/errors.js';
import type { KeySpec } from '../../src/pki/keys.js';
import { makeTempDir, openssl, opensslEcCsr, runOpenssl, runTlskit } from '../helpers/index.js';

/** Runs `tlskit ARGS --json`, which must succeed, and returns its JSON. */
async function tlskit<T>(t: ExecutionContext, args: string[]): Promise<T> {
  const result = await runTlskit([...args, '--json']);
  t.is(result.code, 0, result.stderr || result.stdout);
  return JSON.parse(result.stdout) as T;
}

/** openssl verify's verdict, stdout and stderr together (errors go to stderr). */
async function verify(args: string[]): Promise<{ code: number; output: string }> {
  const result = await runOpenssl(['verify', ...args]);
  return { code: result.code, output: result.stdout + result.stderr };
}

/** root (passphrase root-pass) → inter → leaf, all made with the CLI in `dir`. */
async function cliChain(t: ExecutionContext, dir: string, rootFlags: string[] = []) {
  const root = join(dir, 'root');
  const inter = join(dir, 'inter');
  await tlskit<NewCaResult>(t, ['ca', 'init', root, '--passout', 'pass:root-pass', ...rootFlags]);
  await tlskit<NewCaResult>(t, [
    'ca',
    'intermediate',
    inter,
    '--parent',
    root,
    '--passin',
    'pass:root-pass',
  ]);
  return { root, inter };
}

test('openssl verify -CAfile root -untrusted intermediate passes a leaf from ca init/intermediate/issue', async (t) => {
  const dir = await makeTempDir(t);
  const { root, inter } = await cliChain(t, dir);
  const leaf = await tlskit<CaIssueResult>(t, [
    'ca',
    'issue',
    inter,
    '--cn',
    'www.example.test',
    '--san',
    'www.example.test',
    '--san',
    '127.0.0.1',
    '--out',
    join(dir, 'www'),
  ]);
  const rootCert = join(root, 'ca.cert.pem');
  const cert = leaf.files.certificate;
  const plain = await verify(['-CAfile', rootCert, '-untrusted', join(inter, 'ca.cert.pem'), cert]);
  t.is(plain.output.trim(), `${cert}: OK`);
  const strict = await verify([
    '-x509_strict',
    '-purpose',
    'sslserver',
    '-verify_hostname',
    'www.example.test',
    '-verify_ip',
    '127.0.0.1',
    '-CAfile',
    rootCert,
    '-untrusted',
    leaf.files.fullchain,
    cert,
  ]);
  t.is(strict.output.trim(), `${cert}: OK`, 'fullchain carries the intermediate');
  const bundle = await verify(['-CAfile', leaf.files.chain, cert]);
  t.is(bundle.output.trim(), `${cert}: OK`, 'chain.pem is a ready -CAfile');
  t.is(
    await openssl(['x509', '-in', cert, '-noout', '-serial', '-fingerprint', '-sha256']),
    `serial=${leaf.serial}\nsha256 Fingerprint=${leaf.fingerprint256}\n`,
  );
  t.regex(
    await openssl(['x509', '-in', join(inter, 'ca.cert.pem'), '-noout', '-text']),
    /CA:TRUE, pathlen:0/,
  );
});

test('with -crl_check and our CRL a revoked leaf fails (error 23) and a good one passes', async (t) => {
  const dir = await makeTempDir(t);
  const { root, inter } = await cliChain(t, dir);
  const issue = (name: string) =>
    tlskit<CaIssueResult>(t, [
      'ca',
      'issue',
      inter,
      '--cn',
      `${name}.example.test`,
      '--out',
      join(dir, name),
    ]);
  const good = await issue('good');
  const bad = await issue('bad');
  const revoked = await tlskit<CaRevokeResult>(t, [
    'ca',
    'revoke',
    inter,
    bad.serial,
    '--reason',
    'keyCompromise',
  ]);
  t.is(revoked.reason, 'keyCompromise');
  const crl = await tlskit<CaCrlResult>(t, ['ca', 'crl', inter]);
  t.is(crl.crlNumber, 1);
  const check = (cert: string) =>
    verify([
      '-crl_check',
      '-CAfile',
      join(root, 'ca.cert.pem'),
      '-untrusted',
      join(inter, 'ca.cert.pem'),
      '-CRLfile',
      join(inter, 'crl.pem'),
      cert,
    ]);
  const goodVerdict = await check(good.files.certificate);
  t.is(goodVerdict.code, 0, goodVerdict.output);
  t.is(goodVerdict.output.trim(), `${good.files.certificate}: OK`);
  const badVerdict = await check(bad.files.certificate);
  t.not(badVerdict.code, 0);
  t.regex(badVerdict.output, /error 23 at 0 depth lookup: certificate revoked/);
});

test('openssl crl -verify accepts our CRL, and its text shows the number, AKI, serial and reason', async (t) => {
  const dir = await makeTempDir(t);
  const { root } = await cliChain(t, dir);
  const leaf = await tlskit<CaIssueResult>(t, [
    'ca',
    'issue',
    root,
    '--cn',
    'x.example.test',
    '--out',
    join(dir, 'x'),
    '--passin',
    'pass:root-pass',
  ]);
  await tlskit(t, [
    'ca',
    'revoke',
    root,
    '--cert',
    leaf.files.certificate,
    '--reason',
    'cACompromise',
  ]);
  await tlskit(t, ['ca', 'crl', root, '--passin', 'pass:root-pass']);
  const second = await tlskit<CaCrlResult>(t, [
    'ca',
    'crl',
    root,
    '--passin',
    'pass:root-pass',
    '--days',
    '3',
  ]);
  t.is(second.crlNumber, 2);
  const rootCert = join(root, 'ca.cert.pem');
  for (const [file, form] of [
    ['crl.pem', 'PEM'],
    ['crl.der', 'DER'],
  ] as const) {
    const result = await runOpenssl([
      'crl',
      '-in',
      join(root, file),
      '-inform',
      form,
      '-verify',
      '-CAfile',
      rootCert,
      '-noout',
      '-text',
    ]);
    t.is(result.code, 0, result.stderr);
    t.regex(result.stderr, /verify OK/);
    t.regex(result.stdout, /Version 2 \(0x1\)/);
    t.regex(result.stdout, /X509v3 CRL Number: \n\s+2\n/);
    const ski = (await openssl(['x509', '-in', rootCert, '-noout', '-ext', 'subjectKeyIdentifier']))
      .split('\n')[1]
      ?.trim();
    t.regex(result.stdout, new RegExp(`X509v3 Authority Key Identifier: \\n\\s+${ski}`));
    t.regex(
      result.stdout,
      new RegExp(
        `Serial Number: ${leaf.serial}\\n\\s+Revocation Date: .*\\n\\s+CRL entry extensions:\\n\\s+X509v3 CRL Reason Code: \\n\\s+CA Compromise`,
      ),
    );
  }
  const days = await openssl([
    'crl',
    '-in',
    join(root, 'crl.pem'),
    '-noout',
    '-lastupdate',
    '-nextupdate',
  ]);
  const [last, next] = days
    .split('\n')
    .map((line) => Date.parse(line.slice(line.indexOf('=') + 1)));
  t.is((next ?? 0) - (last ?? 0), 3 * 86_400_000);
});

test('openssl ca -config DIR/openssl.cnf issues one more certificate from a tlskit folder, and ca list shows it', async (t) => {
  const dir = await makeTempDir(t);
  const { inter } = await cliChain(t, dir);
  await tlskit(t, [
    'ca',
    'issue',
    inter,
    '--cn',
    'first.example.test',
    '--out',
    join(dir, 'first'),
  ]);
  const key = join(dir, 'o.key');
  const csr = join(dir, 'o.csr');
  await openssl([
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    key,
  ]);
  await openssl([
    'req',
    '-new',
    '-key',
    key,
    '-subj',
    '/O=Example/CN=o.example.test',
    '-addext',
    'subjectAltName=DNS:o.example.test',
    '-out',
    csr,
  ]);
  const cert = join(dir, 'o.pem');
  // The intermediate's key is not encrypted; the root's is: openssl needs -passin for the root.
  await openssl([
    'ca',
    '-config',
    join(inter, 'openssl.cnf'),
    '-batch',
    '-notext',
    '-in',
    csr,
    '-out',
    cert,
  ]);
  const serial = (await openssl(['x509', '-in', cert, '-noout', '-serial']))
    .trim()
    .replace('serial=', '');
  const listed = await tlskit<CaListResult>(t, ['ca', 'list', inter]);
  t.deepEqual(
    listed.certificates.map((entry) => [entry.subject, entry.status]),
    [
      ['/CN=first.example.test', 'valid'],
      ['/O=Example/CN=o.example.test', 'valid'],
    ],
  );
  t.is(listed.certificates[1]?.serial, serial);
  const text = await openssl(['x509', '-in', cert, '-noout', '-text']);
  t.regex(text, /Subject: O = Example, CN = o\.example\.test/, 'the subject kept whole (preserve)');
  t.regex(text, /TLS Web Server Authentication/, 'the default profile section');
  t.regex(text, /DNS:o\.example\.test/, 'the requested SAN copied');
  const verdict = await verify([
    '-CAfile',
    join(dir, 'root', 'ca.cert.pem'),
    '-untrusted',
    join(inter, 'ca.cert.pem'),
    cert,
  ]);
  t.is(verdict.output.trim(), `${cert}: OK`);
  // tlskit revokes what openssl issued; openssl reads the result back.
  await tlskit(t, ['ca', 'revoke', inter, serial, '--reason', 'superseded']);
  const status = await runOpenssl(['ca', '-config', join(inter, 'openssl.cnf'), '-status', serial]);
  t.regex(status.stderr, new RegExp(`${serial}=Revoked \\(R\\)`));
  await openssl([
    'ca',
    '-config',
    join(inter, 'openssl.cnf'),
    '-gencrl',
    '-out',
    join(dir, 'openssl.crl'),
  ]);
  const crlText = await openssl(['crl', '-in', join(dir, 'openssl.crl'), '-noout', '-text']);
  t.regex(crlText, new RegExp(`Serial Number: ${serial}[\\s\\S]*Superseded`));
  t.regex(crlText, /X509v3 CRL Number: \n\s+1\n/);
  const ours = await tlskit<CaCrlResult>(t, ['ca', 'crl', inter]);
  t.is(ours.crlNumber, 2, 'the crlnumber file moved on under openssl too');
});

test('openssl ca works on a root folder with an encrypted key, given -passin', async (t) => {
  const dir = await makeTempDir(t);
  const { root } = await cliChain(t, dir);
  const csr = join(dir, 'r.csr');
  await opensslEcCsr(join(dir, 'r.key'), '/CN=r.example.test', csr);
  const config = join(root, 'openssl.cnf');
  await openssl([
    'ca',
    '-config',
    config,
    '-batch',
    '-passin',
    'pass:root-pass',
    '-in',
    csr,
    '-out',
    join(dir, 'r.pem'),
  ]);
  const listed = await tlskit<CaListResult>(t, ['ca', 'list', root]);
  t.deepEqual(
    listed.certificates.map((entry) => entry.subject),
    ['/CN=tlskit Intermediate CA', '/CN=r.example.test'],
  );
  const updated = await runOpenssl([
    'ca',
    '-config',
    config,
    '-passin',
    'pass:root-pass',
    '-updatedb',
  ]);
  t.is(updated.code, 0, updated.stderr);
});

const KEY_SPECS: Array<{ label: string; key: KeySpec; algorithm: string }> = [
  { label: 'RSA 2048', key: { type: 'rsa', bits: 2048 }, algorithm: 'sha256WithRSAEncryption' },
  { label: 'EC P-384', key: { type: 'ec', curve: 'P-384' }, algorithm: 'ecdsa-with-SHA384' },
  { label: 'Ed25519', key: { type: 'ed25519' }, algorithm: 'ED25519' },
];

for (const spec of KEY_SPECS) {
  test(`${spec.label} CA: openssl verifies its certificates and its CRL, and openssl ca signs with it`, async (t) => {
    const dir = await makeTempDir(t);
    const root = join(dir, 'ca');
    await initCa({ dir: root, key: spec.key });
    const leaf = await issueFromCa({
      dir: root,
      commonName: 'k.example.test',
      out: join(dir, 'k'),
    });
    t.is(leaf.signatureAlgorithm, spec.algorithm);
    const crl = await generateCaCrl({ dir: root });
    t.is(crl.signatureAlgorithm, spec.algorithm);
    const rootCert = join(root, 'ca.cert.pem');
    t.is(
      (await verify(['-CAfile', rootCert, leaf.files.certificate])).output.trim(),
      `${leaf.files.certificate}: OK`,
    );
    const crlCheck = await verify([
      '-crl_check',
      '-CAfile',
      rootCert,
      '-CRLfile',
      join(root, 'crl.pem'),
      leaf.files.certificate,
    ]);
    t.is(crlCheck.code, 0, crlCheck.output);
    const csr = join(dir, 'o.csr');
    await opensslEcCsr(join(dir, 'o.key'), '/CN=o.example.test', csr);
    await openssl([
      'ca',
      '-config',
      join(root, 'openssl.cnf'),
      '-batch',
      '-in',
      csr,
      '-out',
      join(dir, 'o.pem'),
    ]);
    t.regex(
      await openssl(['x509', '-in', join(dir, 'o.pem'), '-noout', '-text']),
      new RegExp(`Signature Algorithm: ${spec.algorithm}`),
    );
  });
}

/** Signs a CSR with openssl directly (bypassing tlskit's checks) using the CA folder's key. */
async function opensslSigned(
  dir: string,
  ca: string,
  name: string,
  extensions: string,
): Promise<string> {
  const csr = join(dir, `${name}.csr`);
  const extfile = join(dir, `${name}.ext`);
  const cert = join(dir, `${name}.pem`);
  await opensslEcCsr(join(dir, `${name}.key`), `/CN=${name}`, csr);
  await writeFile(
    extfile,
    `${extensions}\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n`,
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(ca, 'ca.cert.pem'),
    '-CAkey',
    join(ca, 'ca.key.pem'),
    '-set_serial',
    '0x1001',
    '-days',
    '30',
    '-extfile',
    extfile,
    '-out',
    cert,
  ]);
  return cert;
}

test('name constraints: tlskit refuses, and openssl verify rejects the same names made by openssl', async (t) => {
  const dir = await makeTempDir(t);
  const root = join(dir, 'root');
  await tlskit(t, [
    'ca',
    'init',
    root,
    '--permit',
    'DNS:.example.test',
    '--exclude',
    'DNS:.corp.example.test',
  ]);
  const rootCert = join(root, 'ca.cert.pem');
  const text = await openssl(['x509', '-in', rootCert, '-noout', '-text']);
  t.regex(
    text,
    /X509v3 Name Constraints: critical\n\s+Permitted:\n\s+DNS:\.example\.test\n\s+Excluded:\n\s+DNS:\.corp\.example\.test/,
  );
  const cases = [
    {
      name: 'outside',
      san: 'www.other.test',
      tlskit: /is outside the names/,
      openssl: /error 47 at 0 depth lookup: permitted subtree violation/,
    },
    {
      name: 'excluded',
      san: 'db.corp.example.test',
      tlskit: /is excluded by/,
      openssl: /error 48 at 0 depth lookup: excluded subtree violation/,
    },
  ];
  for (const item of cases) {
    const refused = await runTlskit([
      'ca',
      'issue',
      root,
      '--san',
      item.san,
      '--out',
      join(dir, `${item.name}-tlskit`),
    ]);
    t.is(refused.code, ExitCode.refused, refused.stderr);
    t.regex(refused.stderr, item.tlskit);
    const cert = await opensslSigned(
      dir,
      root,
      item.name,
      `basicConstraints = critical, CA:FALSE\nsubjectAltName = DNS:${item.san}`,
    );
    const verdict = await verify(['-CAfile', rootCert, cert]);
    t.not(verdict.code, 0);
    t.regex(verdict.output, item.openssl);
  }
  const inside = await opensslSigned(
    dir,
    root,
    'inside',
    'basicConstraints = critical, CA:FALSE\nsubjectAltName = DNS:www.example.test',
  );
  t.is((await verify(['-CAfile', rootCert, inside])).output.trim(), `${inside}: OK`, 'control');
  const ok = await tlskit<CaIssueResult>(t, [
    'ca',
    'issue',
    root,
    '--san',
    'www.example.test',
    '--out',
    join(dir, 'ok'),
  ]);
  t.is(
    (await verify(['-CAfile', rootCert, ok.files.certificate])).output.trim(),
    `${ok.files.certificate}: OK`,
  );
});

test('pathlen: tlskit refuses a CA below a pathlen 0 CA, and openssl rejects one made by openssl', async (t) => {
  const dir = await makeTempDir(t);
  const { root, inter } = await cliChain(t, dir);
  const refused = await runTlskit(['ca', 'intermediate', join(dir, 'sub'), '--parent', inter]);
  t.is(refused.code, ExitCode.refused, refused.stderr);
  t.regex(refused.stderr, /pathlen 0: it cannot issue CA certificates/);
  const issued = await runTlskit([
    'ca',
    'issue',
    inter,
    '--cn',
    'Sub CA',
    '--profile',
    'intermediate',
    '--out',
    join(dir, 'sub2'),
  ]);
  t.is(issued.code, ExitCode.refused, issued.stderr);
  const sub = await opensslSigned(
    dir,
    inter,
    'sub',
    'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign',
  );
  const leafCsr = join(dir, 'leaf.csr');
  await opensslEcCsr(join(dir, 'leaf.key'), '/CN=leaf.example.test', leafCsr);
  const leaf = join(dir, 'leaf.pem');
  await openssl([
    'x509',
    '-req',
    '-in',
    leafCsr,
    '-CA',
    sub,
    '-CAkey',
    join(dir, 'sub.key'),
    '-set_serial',
    '7',
    '-days',
    '10',
    '-out',
    leaf,
  ]);
  const untrusted = join(dir, 'untrusted.pem');
  await writeFile(
    untrusted,
    (await readFile(join(inter, 'ca.cert.pem'), 'utf8')) + (await readFile(sub, 'utf8')),
  );
  const verdict = await verify([
    '-CAfile',
    join(root, 'ca.cert.pem'),
    '-untrusted',
    untrusted,
    leaf,
  ]);
  t.not(verdict.code, 0);
  t.regex(verdict.output, /error 25 at \d depth lookup: path length constraint exceeded/);
});
