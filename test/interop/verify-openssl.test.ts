/**
 * `tlskit verify` against `openssl verify` (OpenSSL 3.0) on chains made with tlskit's own
 * library: for every case both tools must reach the same verdict, and when it fails, the same
 * first error (openssl's `error N at D depth lookup` line: number and depth). Each case also
 * names the outcome it expects, so that the two cannot agree on a wrong answer unnoticed.
 */
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  verifyCertificateFiles,
  type VerifyFilesOptions,
} from '../../src/pki/verify/verify-files.js';
import { VERIFY_ERRORS, type VerifyErrorCode } from '../../src/pki/verify/verdict.js';
import {
  makeCertificate,
  makeChain,
  makeCrl,
  pemOf,
  tamperSignature,
  writePem,
} from '../helpers/chains.js';
import { runOpenssl } from '../helpers/index.js';

const DAY_MS = 86_400_000;
const NOW = Date.now();
const daysFromNow = (days: number) => new Date(Math.floor((NOW + days * DAY_MS) / 1000) * 1000);

/** One row: the files and checks (as tlskit options), and the verdict both must reach. */
interface Case {
  cert: string;
  ca?: string;
  untrusted?: string[];
  crls?: string[];
  crlCheck?: 'leaf' | 'all';
  host?: string;
  ip?: string;
  purpose?: 'server' | 'client';
  /** Days from now to verify at. */
  atDays?: number;
  partialChain?: boolean;
  expect: 'OK' | { code: VerifyErrorCode; depth: number };
}

/** Every file a case names, made once for the whole table. */
async function makeFixtures(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const put = async (name: string, ...items: Array<{ pem: string }>) => {
    files[name] = await writePem(dir, `${name}.pem`, ...items);
  };
  const chain = await makeChain();
  const { root, intermediate, leaf } = chain;
  await put('root', root);
  await put('intermediate', intermediate);
  await put('leaf', leaf);
  await put('leaf+intermediate', leaf, intermediate);
  await put('intermediate+root', intermediate, root);
  await put('other-root', await makeCertificate({ subject: '/CN=Other Root' }));

  const issueLeaf = (spec: Partial<Parameters<typeof makeCertificate>[0]>, issuer = intermediate) =>
    makeCertificate({
      subject: '/CN=leaf.example.test',
      issuer,
      sans: ['DNS:leaf.example.test'],
      ...spec,
    });
  await put(
    'expired-leaf',
    await issueLeaf({ notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) }),
  );
  await put(
    'future-leaf',
    await issueLeaf({ notBefore: daysFromNow(2), notAfter: daysFromNow(30) }),
  );
  await put('tampered-leaf', pemOf(tamperSignature(leaf.der)));
  await put('client-leaf', await issueLeaf({ profile: 'client', sans: [] }));
  await put('sha1-leaf', await issueLeaf({ digest: 'sha1', allowWeak: true }));
  await put('wildcard-leaf', await issueLeaf({ sans: ['DNS:*.wild.example.test'] }));

  const expiredIntermediate = await makeCertificate({
    subject: '/CN=Expired Intermediate',
    issuer: root,
    profile: 'intermediate',
    notBefore: daysFromNow(-60),
    notAfter: daysFromNow(-1),
  });
  await put('expired-intermediate', expiredIntermediate);
  await put('leaf-of-expired-intermediate', await issueLeaf({}, expiredIntermediate));

  const expiredRoot = await makeCertificate({
    subject: '/CN=Expired Root',
    notBefore: daysFromNow(-60),
    notAfter: daysFromNow(-1),
  });
  const underExpiredRoot = await makeCertificate({
    subject: '/CN=Intermediate of Expired Root',
    issuer: expiredRoot,
    profile: 'intermediate',
  });
  await put('expired-root', expiredRoot);
  await put('intermediate-of-expired-root', underExpiredRoot);
  await put('leaf-of-expired-root', await issueLeaf({}, underExpiredRoot));

  // Path length: root → intermediate (pathlen 0) → sub-CA → leaf.
  const subCa = await makeCertificate({
    subject: '/CN=Sub CA',
    issuer: intermediate,
    profile: 'ca',
  });
  await put('sub-ca', subCa);
  await put('leaf-of-sub-ca', await issueLeaf({}, subCa));

  // Name constraints on an intermediate.
  const constrained = await makeCertificate({
    subject: '/CN=Constrained Intermediate',
    issuer: root,
    profile: 'intermediate',
    permitted: ['DNS:allowed.example.test', 'IP:192.0.2.0/24'],
    excluded: ['DNS:bad.allowed.example.test'],
  });
  await put('constrained', constrained);
  await put(
    'permitted-leaf',
    await issueLeaf({ sans: ['DNS:www.allowed.example.test', 'IP:192.0.2.7'] }, constrained),
  );
  await put(
    'outside-leaf',
    await issueLeaf({ sans: ['DNS:www.elsewhere.example.test'] }, constrained),
  );
  await put(
    'excluded-leaf',
    await issueLeaf({ sans: ['DNS:bad.allowed.example.test'] }, constrained),
  );
  await put(
    'outside-ip-leaf',
    await issueLeaf({ sans: ['DNS:ip.allowed.example.test', 'IP:198.51.100.7'] }, constrained),
  );

  // An issuer that is not a CA, and a leaf it signed.
  const notCa = await issueLeaf({ subject: '/CN=Not A CA' }, root);
  await put('not-ca', notCa);
  await put('leaf-of-not-ca', await issueLeaf({}, notCa));

  // An intermediate limited to clientAuth cannot vouch for servers.
  const clientOnlyCa = await makeCertificate({
    subject: '/CN=Client-only Intermediate',
    issuer: root,
    profile: 'intermediate',
    extendedKeyUsage: ['clientAuth'],
  });
  await put('client-only-ca', clientOnlyCa);
  await put('leaf-of-client-only-ca', await issueLeaf({}, clientOnlyCa));

  // Self-signed leaves.
  await put(
    'self-signed',
    await makeCertificate({
      subject: '/CN=self.example.test',
      profile: 'server',
      sans: ['DNS:self.example.test'],
    }),
  );

  // Other key types.
  const rsa = await makeChain({
    root: { key: { type: 'rsa', bits: 2048 }, subject: '/CN=RSA Root' },
    intermediate: { key: { type: 'rsa', bits: 2048 }, subject: '/CN=RSA Intermediate' },
    leaf: { key: { type: 'ed25519' } },
  });
  await put('rsa-root', rsa.root);
  await put('rsa-leaf+intermediate', rsa.leaf, rsa.intermediate);

  // Cross-signing: the intermediate's issuer "Test Root" re-issued by Other CA (same key).
  const otherCa = await makeCertificate({ subject: '/CN=Other CA' });
  const crossSigned = await makeCertificate({
    subject: '/CN=Test Root',
    reuseKeyOf: root,
    issuer: otherCa,
    profile: 'ca',
  });
  await put('other-ca', otherCa);
  await put('intermediate+cross', intermediate, crossSigned);

  // Candidates: an expired and a current intermediate with one name and key; two roots named
  // alike, told apart by key identifiers; an issuer loop, untrusted and trusted.
  await put(
    'old-and-current-intermediate',
    await makeCertificate({
      subject: '/CN=Test Intermediate',
      reuseKeyOf: intermediate,
      issuer: root,
      profile: 'intermediate',
      notBefore: daysFromNow(-400),
      notAfter: daysFromNow(-35),
    }),
    intermediate,
  );
  await put('namesake-root+root', await makeCertificate({ subject: '/CN=Test Root' }), root);
  const loopA = await makeCertificate({ subject: '/CN=Loop A' });
  const loopB = await makeCertificate({ subject: '/CN=Loop B' });
  const aByB = await makeCertificate({
    subject: '/CN=Loop A',
    reuseKeyOf: loopA,
    issuer: loopB,
    profile: 'ca',
  });
  const bByA = await makeCertificate({
    subject: '/CN=Loop B',
    reuseKeyOf: loopB,
    issuer: loopA,
    profile: 'ca',
  });
  await put('loop', aByB, bByA);
  await put('leaf-in-loop', await issueLeaf({}, loopA));

  // CRLs.
  await put('crl-revoking-leaf', makeCrl(intermediate, { revoked: [leaf] }));
  await put('crl-empty', makeCrl(intermediate));
  await put('crl-root', makeCrl(root));
  await put(
    'crl-expired',
    makeCrl(intermediate, { thisUpdate: daysFromNow(-10), nextUpdate: daysFromNow(-1) }),
  );
  await put(
    'crl-by-other-key',
    makeCrl({ ...intermediate, key: (await makeCertificate({ subject: '/CN=x' })).key }),
  );
  return files;
}

const CASES: Record<string, Case> = {
  'good chain root → intermediate → leaf': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    expect: 'OK',
  },
  'good chain, intermediate bundled after the leaf': {
    cert: 'leaf+intermediate',
    ca: 'root',
    expect: 'OK',
  },
  'expired leaf': {
    cert: 'expired-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    expect: { code: 'CERT_HAS_EXPIRED', depth: 0 },
  },
  'not-yet-valid leaf': {
    cert: 'future-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    expect: { code: 'CERT_NOT_YET_VALID', depth: 0 },
  },
  'expired intermediate': {
    cert: 'leaf-of-expired-intermediate',
    ca: 'root',
    untrusted: ['expired-intermediate'],
    expect: { code: 'CERT_HAS_EXPIRED', depth: 1 },
  },
  'expired root': {
    cert: 'leaf-of-expired-root',
    ca: 'expired-root',
    untrusted: ['intermediate-of-expired-root'],
    expect: { code: 'CERT_HAS_EXPIRED', depth: 2 },
  },
  'verified at a time after everything expired (--at)': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    atDays: 400,
    expect: { code: 'CERT_HAS_EXPIRED', depth: 2 },
  },
  'verified at a time before the leaf is valid (--at)': {
    cert: 'future-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    atDays: 10,
    expect: 'OK',
  },
  'untrusted root offered as an intermediate': {
    cert: 'leaf',
    ca: 'other-root',
    untrusted: ['intermediate+root'],
    expect: { code: 'SELF_SIGNED_CERT_IN_CHAIN', depth: 2 },
  },
  'root not given at all': {
    cert: 'leaf',
    ca: 'other-root',
    untrusted: ['intermediate'],
    expect: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 1 },
  },
  'missing intermediate': {
    cert: 'leaf',
    ca: 'root',
    expect: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 0 },
  },
  'intermediate trusted without its root': {
    cert: 'leaf',
    ca: 'intermediate',
    expect: { code: 'UNABLE_TO_GET_ISSUER_CERT', depth: 1 },
  },
  'intermediate trusted without its root, --partial-chain': {
    cert: 'leaf',
    ca: 'intermediate',
    partialChain: true,
    expect: 'OK',
  },
  'bad signature (a flipped byte)': {
    cert: 'tampered-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    expect: { code: 'CERT_SIGNATURE_FAILURE', depth: 0 },
  },
  'revoked leaf (--crl-check leaf)': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    crls: ['crl-revoking-leaf'],
    crlCheck: 'leaf',
    expect: { code: 'CERT_REVOKED', depth: 0 },
  },
  'leaf not on the CRL': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    crls: ['crl-empty'],
    crlCheck: 'leaf',
    expect: 'OK',
  },
  'CRL check without a CRL': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    crlCheck: 'leaf',
    expect: { code: 'UNABLE_TO_GET_CRL', depth: 0 },
  },
  'CRL check of the whole path, root CRL missing': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    crls: ['crl-empty'],
    crlCheck: 'all',
    expect: { code: 'UNABLE_TO_GET_CRL', depth: 1 },
  },
  'CRL check of the whole path': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    crls: ['crl-empty', 'crl-root'],
    crlCheck: 'all',
    expect: 'OK',
  },
  'expired CRL': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    crls: ['crl-expired'],
    crlCheck: 'leaf',
    expect: { code: 'CRL_HAS_EXPIRED', depth: 0 },
  },
  'CRL signed by another key': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    crls: ['crl-by-other-key'],
    crlCheck: 'leaf',
    expect: { code: 'CRL_SIGNATURE_FAILURE', depth: 0 },
  },
  'right host': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    host: 'leaf.example.test',
    expect: 'OK',
  },
  'wrong host': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    host: 'other.example.test',
    expect: { code: 'HOSTNAME_MISMATCH', depth: 0 },
  },
  'wildcard host, one label': {
    cert: 'wildcard-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    host: 'a.wild.example.test',
    expect: 'OK',
  },
  'wildcard host, two labels': {
    cert: 'wildcard-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    host: 'a.b.wild.example.test',
    expect: { code: 'HOSTNAME_MISMATCH', depth: 0 },
  },
  'right IP address': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    ip: '192.0.2.10',
    expect: 'OK',
  },
  'wrong IP address': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    ip: '192.0.2.99',
    expect: { code: 'IP_ADDRESS_MISMATCH', depth: 0 },
  },
  'server certificate for a server': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    purpose: 'server',
    expect: 'OK',
  },
  'client certificate used for a server': {
    cert: 'client-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    purpose: 'server',
    expect: { code: 'INVALID_PURPOSE', depth: 0 },
  },
  'client certificate for a client': {
    cert: 'client-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    purpose: 'client',
    expect: 'OK',
  },
  'server leaf under a clientAuth-only intermediate': {
    cert: 'leaf-of-client-only-ca',
    ca: 'root',
    untrusted: ['client-only-ca'],
    purpose: 'server',
    expect: { code: 'INVALID_PURPOSE', depth: 1 },
  },
  'path length exceeded': {
    cert: 'leaf-of-sub-ca',
    ca: 'root',
    untrusted: ['intermediate', 'sub-ca'],
    expect: { code: 'PATH_LENGTH_EXCEEDED', depth: 2 },
  },
  'name constraints: permitted names': {
    cert: 'permitted-leaf',
    ca: 'root',
    untrusted: ['constrained'],
    expect: 'OK',
  },
  'name constraints: DNS name outside the permitted subtree': {
    cert: 'outside-leaf',
    ca: 'root',
    untrusted: ['constrained'],
    expect: { code: 'PERMITTED_VIOLATION', depth: 0 },
  },
  'name constraints: IP address outside the permitted subtree': {
    cert: 'outside-ip-leaf',
    ca: 'root',
    untrusted: ['constrained'],
    expect: { code: 'PERMITTED_VIOLATION', depth: 0 },
  },
  'name constraints: excluded DNS name': {
    cert: 'excluded-leaf',
    ca: 'root',
    untrusted: ['constrained'],
    expect: { code: 'EXCLUDED_VIOLATION', depth: 0 },
  },
  'self-signed leaf trusted directly': {
    cert: 'self-signed',
    ca: 'self-signed',
    host: 'self.example.test',
    expect: 'OK',
  },
  'self-signed leaf, not trusted': {
    cert: 'self-signed',
    ca: 'root',
    expect: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', depth: 0 },
  },
  'issuer with CA:FALSE': {
    cert: 'leaf-of-not-ca',
    ca: 'root',
    untrusted: ['not-ca'],
    expect: { code: 'INVALID_CA', depth: 1 },
  },
  'SHA-1 signature (made with allowWeak)': {
    cert: 'sha1-leaf',
    ca: 'root',
    untrusted: ['intermediate'],
    expect: 'OK',
  },
  'RSA root and intermediate, Ed25519 leaf': {
    cert: 'rsa-leaf+intermediate',
    ca: 'rsa-root',
    expect: 'OK',
  },
  'cross-signed intermediate path to another root': {
    cert: 'leaf',
    ca: 'other-ca',
    untrusted: ['intermediate+cross'],
    expect: 'OK',
  },
  'an expired and a current intermediate of one name': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['old-and-current-intermediate'],
    expect: 'OK',
  },
  'two trusted roots of one name, told apart by key identifier': {
    cert: 'leaf',
    ca: 'namesake-root+root',
    untrusted: ['intermediate'],
    expect: 'OK',
  },
  'issuer loop among untrusted certificates': {
    cert: 'leaf-in-loop',
    ca: 'other-root',
    untrusted: ['loop'],
    expect: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 2 },
  },
  'issuer loop among trusted certificates': {
    cert: 'leaf-in-loop',
    ca: 'loop',
    expect: { code: 'CERT_CHAIN_TOO_LONG', depth: 101 },
  },
  'cross certificate offered, original root trusted': {
    cert: 'leaf',
    ca: 'root',
    untrusted: ['intermediate+cross'],
    expect: 'OK',
  },
};

const ERROR_LINE = /^error (\d+) at (\d+) depth lookup: (.*)$/m;

let files: Record<string, string>;
let dir: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlskit-verify-interop-'));
  files = await makeFixtures(dir);
});

test.after.always(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the table has at least 12 good and bad chains', (t) => {
  const cases = Object.values(CASES);
  t.true(cases.length >= 12);
  t.true(cases.filter((row) => row.expect === 'OK').length >= 5);
  t.true(cases.filter((row) => row.expect !== 'OK').length >= 12);
});

for (const [title, row] of Object.entries(CASES)) {
  test(`agrees with openssl verify: ${title}`, async (t) => {
    const file = (name: string) => {
      const path = files[name];
      if (!path) throw new Error(`no fixture ${name}`);
      return path;
    };
    const at = row.atDays === undefined ? undefined : daysFromNow(row.atDays);
    const options: VerifyFilesOptions = {
      certificate: file(row.cert),
      ca: row.ca ? [file(row.ca)] : [],
      untrusted: (row.untrusted ?? []).map(file),
      crls: (row.crls ?? []).map(file),
      crlCheck: row.crlCheck,
      host: row.host,
      ip: row.ip,
      purpose: row.purpose,
      at,
      partialChain: row.partialChain,
    };
    const ours = await verifyCertificateFiles(options);
    const theirs = await runOpenssl(opensslArgs(row, options, at));
    const opensslError = ERROR_LINE.exec(theirs.stderr);
    const detail = `tlskit: ${ours.code} at ${ours.depth} (${ours.message})\nopenssl: ${theirs.stdout}${theirs.stderr}`;

    if (row.expect === 'OK') {
      t.true(ours.ok, detail);
      t.is(ours.code, 'OK');
      t.is(theirs.code, 0, detail);
      t.regex(theirs.stdout, /: OK$/m);
    } else {
      const [number, text] = VERIFY_ERRORS[row.expect.code];
      t.false(ours.ok, detail);
      t.is(ours.code, row.expect.code, detail);
      t.is(ours.depth, row.expect.depth, detail);
      t.not(theirs.code, 0, detail);
      t.truthy(opensslError, detail);
      t.is(Number(opensslError?.[1]), number, `openssl's first error number\n${detail}`);
      t.is(Number(opensslError?.[2]), row.expect.depth, `openssl's error depth\n${detail}`);
      t.is(opensslError?.[3], text, 'the same text as openssl');
      t.is(ours.opensslError, number);
    }
  });
}

/** The openssl verify command line for the same question. */
function opensslArgs(row: Case, options: VerifyFilesOptions, at: Date | undefined): string[] {
  const args = ['verify'];
  for (const ca of options.ca ?? []) args.push('-CAfile', ca);
  for (const untrusted of options.untrusted ?? []) args.push('-untrusted', untrusted);
  // openssl verify reads only the first certificate of CERT: the rest go in as untrusted too.
  if (row.cert.includes('+')) args.push('-untrusted', options.certificate);
  for (const crl of options.crls ?? []) args.push('-CRLfile', crl);
  if (row.crlCheck === 'leaf') args.push('-crl_check');
  if (row.crlCheck === 'all') args.push('-crl_check_all');
  if (row.host) args.push('-verify_hostname', row.host);
  if (row.ip) args.push('-verify_ip', row.ip);
  if (row.purpose) args.push('-purpose', row.purpose === 'server' ? 'sslserver' : 'sslclient');
  if (at) args.push('-attime', String(Math.floor(at.getTime() / 1000)));
  if (row.partialChain) args.push('-partial_chain');
  args.push(options.certificate);
  return args;
}
