/**
 * `tlskit ca` against broken CA folders and bad input (fixtures/malformed/ca/, README-ca.md):
 * each gets its exact exit code and one stderr line naming the problem, with no stack trace, no
 * file written, and the CA folder left exactly as it was.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { parseIndex } from '../../src/pki/ca/openssl-index.js';
import { makeTempDir, runTlskit } from '../helpers/index.js';
import { corpus, testBadInputs, type BadInput } from '../helpers/malformed.js';

const { badInput, usage, refused } = ExitCode;
const caCorpus = (name: string) => corpus(join('ca', name));
const PASS = ['--passin', 'pass:right-pass'];

// Cases that touch no CA folder, or only read one: the shared runner checks them.
const plainCases: Record<string, BadInput> = {
  'ca list: missing folder': {
    args: (o) => ['ca', 'list', o],
    exitCode: badInput,
    says: /out\.pem: no such CA folder \(create one with tlskit ca init DIR\)$/,
  },
  'ca issue: an empty folder is not a CA': {
    args: (o, d) => ['ca', 'issue', d, '--cn', 'www.example.test', '--out', o],
    exitCode: badInput,
    says: /sub is not a tlskit CA folder \(it has no tlskit-ca\.json\)/,
  },
  'ca crl: a folder of other things is not a CA': {
    args: () => ['ca', 'crl', caCorpus('not-a-ca')],
    exitCode: badInput,
    says: /not-a-ca is not a tlskit CA folder/,
  },
  'ca list: a file is not a CA folder': {
    args: () => ['ca', 'list', corpus('good.key.pem')],
    exitCode: badInput,
    says: /good\.key\.pem is a file, not a CA folder/,
  },
  'ca list: corrupt tlskit-ca.json': {
    args: () => ['ca', 'list', caCorpus('corrupt-config')],
    exitCode: badInput,
    says: /corrupt-config\/tlskit-ca\.json: not valid JSON/,
  },
  'ca list: tlskit-ca.json points outside the folder': {
    args: () => ['ca', 'list', caCorpus('key-outside')],
    exitCode: badInput,
    says: /tlskit-ca\.json: \/files\/key: "\.\.\/good\/ca\.key\.pem" is not a plain file name/,
  },
  'ca list: corrupt index.txt': {
    args: () => ['ca', 'list', caCorpus('corrupt-index')],
    exitCode: badInput,
    says: /corrupt-index\/index\.txt: line 1: expected 6 tab-separated fields, found 2/,
  },
  'ca list: missing index.txt': {
    args: () => ['ca', 'list', caCorpus('missing-index')],
    exitCode: badInput,
    says: /missing-index\/index\.txt: no such file/,
  },
  'ca list: truncated CA certificate': {
    args: () => ['ca', 'list', caCorpus('truncated-cert')],
    exitCode: badInput,
    says: /truncated-cert\/ca\.cert\.pem/,
  },
  'ca init: a folder that is not empty': {
    args: () => ['ca', 'init', caCorpus('good')],
    exitCode: refused,
    says: /good already exists and is not empty \(give a new folder/,
  },
  'ca init: in a missing folder': {
    args: (o) => ['ca', 'init', join(o, 'no', 'ca')],
    exitCode: badInput,
    says: /folder .*out\.pem\/no does not exist/,
  },
  'ca init: a constraint without a type': {
    args: (o) => ['ca', 'init', o, '--permit', 'example.test'],
    exitCode: badInput,
    says: /--permit "example\.test" is not a name constraint/,
  },
  'ca init: an IP constraint with host bits': {
    args: (o) => ['ca', 'init', o, '--exclude', 'IP:10.0.0.1/8'],
    exitCode: badInput,
    says: /--exclude "IP:10\.0\.0\.1\/8": the address has bits set beyond the prefix/,
  },
  'ca init: a negative pathlen': {
    args: (o) => ['ca', 'init', o, '--pathlen', '-1'],
    exitCode: usage,
    says: /--pathlen -1/,
  },
  'ca init: a CRL URL that is not a URL': {
    args: (o) => ['ca', 'init', o, '--crl-url', 'ca.example.test/crl'],
    exitCode: badInput,
    says: /--crl-url "ca\.example\.test\/crl" is not an absolute URL/,
  },
  'ca revoke: neither serial nor --cert': {
    args: () => ['ca', 'revoke', caCorpus('good')],
    exitCode: usage,
    says: /give the serial of the certificate to revoke, or --cert FILE/,
  },
};

testBadInputs(plainCases);

/** One bad command against a copy of a corpus CA folder. */
interface CaCase {
  folder: string;
  args: (ca: string, out: string) => string[];
  exitCode: number;
  says: RegExp;
}

const good = parseIndex(
  // Read synchronously: ava wants every test declared before the first await.
  readFileSync(caCorpus('good/index.txt'), 'utf8'),
  'fixtures/malformed/ca/good/index.txt',
);
const validSerial = good.find((entry) => entry.status === 'V')?.serial ?? '';
const revokedSerial = good.find((entry) => entry.status === 'R')?.serial ?? '';

const caCases: Record<string, CaCase> = {
  'ca issue: wrong CA passphrase': {
    folder: 'good',
    args: (ca, o) => [
      'ca',
      'issue',
      ca,
      '--cn',
      'www.example.test',
      '--out',
      o,
      '--passin',
      'pass:wrong',
    ],
    exitCode: badInput,
    says: /^tlskit: wrong passphrase for .*ca\/ca\.key\.pem$/,
  },
  'ca crl: wrong CA passphrase': {
    folder: 'good',
    args: (ca) => ['ca', 'crl', ca, '--passin', 'pass:wrong'],
    exitCode: badInput,
    says: /wrong passphrase/,
  },
  'ca issue: a CSR outside the name constraints': {
    folder: 'good',
    args: (ca, o) => ['ca', 'issue', ca, '--csr', caCorpus('outside.csr.pem'), '--out', o, ...PASS],
    exitCode: refused,
    says: /DNS:evil\.other\.test is outside the names .*ca\.cert\.pem permits \(DNS:\.example\.test\)/,
  },
  'ca issue: a name outside the name constraints': {
    folder: 'good',
    args: (ca, o) => ['ca', 'issue', ca, '--san', 'www.example.com', '--out', o, ...PASS],
    exitCode: refused,
    says: /DNS:www\.example\.com is outside the names/,
  },
  'ca issue: a CSR whose signature does not verify': {
    folder: 'good',
    args: (ca, o) => [
      'ca',
      'issue',
      ca,
      '--csr',
      corpus('bad-signature.csr.der'),
      '--out',
      o,
      ...PASS,
    ],
    exitCode: badInput,
    says: /bad-signature\.csr\.der: signature does not verify/,
  },
  'ca issue: a truncated CSR': {
    folder: 'good',
    args: (ca, o) => ['ca', 'issue', ca, '--csr', corpus('truncated-csr.pem'), '--out', o, ...PASS],
    exitCode: badInput,
    says: /truncated-csr\.pem/,
  },
  'ca issue: a key where the CSR should be': {
    folder: 'good',
    args: (ca, o) => ['ca', 'issue', ca, '--csr', corpus('key-as-csr.pem'), '--out', o, ...PASS],
    exitCode: badInput,
    says: /key-as-csr\.pem holds PRIVATE KEY, not a certificate request/,
  },
  'ca issue: a lifetime beyond the CA': {
    folder: 'good',
    args: (ca, o) => [
      'ca',
      'issue',
      ca,
      '--cn',
      'www.example.test',
      '--days',
      '5000',
      '--out',
      o,
      ...PASS,
    ],
    exitCode: refused,
    says: /the certificate would outlive .*ca\.cert\.pem/,
  },
  'ca issue: an unknown profile': {
    folder: 'good',
    args: (ca, o) => [
      'ca',
      'issue',
      ca,
      '--cn',
      'www.example.test',
      '--profile',
      'webserver',
      '--out',
      o,
      ...PASS,
    ],
    exitCode: badInput,
    says: /unknown profile "webserver"/,
  },
  'ca issue: a corrupt index.txt': {
    folder: 'corrupt-index',
    args: (ca, o) => ['ca', 'issue', ca, '--cn', 'www.example.test', '--out', o, ...PASS],
    exitCode: badInput,
    says: /index\.txt: line 1: expected 6 tab-separated fields/,
  },
  'ca intermediate: a parent with a corrupt index': {
    folder: 'corrupt-index',
    args: (ca, o) => ['ca', 'intermediate', o, '--parent', ca, ...PASS],
    exitCode: badInput,
    says: /index\.txt: line 1: expected 6 tab-separated fields/,
  },
  'ca revoke: an unknown serial': {
    folder: 'good',
    args: (ca) => ['ca', 'revoke', ca, '0BADC0DE'],
    exitCode: badInput,
    says: /serial 0BADC0DE is not in .*index\.txt \(see the certificates this CA issued with: tlskit ca list/,
  },
  'ca revoke: not a serial number': {
    folder: 'good',
    args: (ca) => ['ca', 'revoke', ca, 'valid.example.test'],
    exitCode: badInput,
    says: /"valid\.example\.test" is not a serial number/,
  },
  'ca revoke: an unknown reason': {
    folder: 'good',
    args: (ca) => ['ca', 'revoke', ca, validSerial, '--reason', 'stolen'],
    exitCode: badInput,
    says: /--reason stolen is not a revocation reason/,
  },
  'ca revoke: already revoked': {
    folder: 'good',
    args: (ca) => ['ca', 'revoke', ca, revokedSerial, '--reason', 'superseded'],
    exitCode: refused,
    says: new RegExp(`certificate ${revokedSerial} is already revoked`),
  },
  'ca revoke: a certificate from another CA': {
    folder: 'good',
    args: (ca) => ['ca', 'revoke', ca, '--cert', corpus('good-ca.cert.pem')],
    exitCode: badInput,
    says: /good-ca\.cert\.pem was not issued by/,
  },
  'ca revoke: a missing index.txt': {
    folder: 'missing-index',
    args: (ca) => ['ca', 'revoke', ca, validSerial],
    exitCode: badInput,
    says: /index\.txt: no such file/,
  },
};

/** Every file under `dir` with its contents, to show that nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = entry.isFile() ? await readFile(path, 'base64') : '<dir>';
  }
  return files;
}

for (const [title, bad] of Object.entries(caCases)) {
  test(title, async (t) => {
    const work = await makeTempDir(t);
    const ca = join(work, 'ca');
    await cp(caCorpus(bad.folder), ca, { recursive: true });
    const before = await snapshot(ca);
    const result = await runTlskit(bad.args(ca, join(work, 'out')), {
      cwd: work,
      timeoutMs: 120_000,
    });
    const lines = result.stderr.trimEnd().split('\n');
    t.is(result.code, bad.exitCode, result.stderr);
    t.is(lines.length, 1, `expected one stderr line, got:\n${result.stderr}`);
    t.regex(lines[0] ?? '', /^tlskit: /);
    t.regex(lines[0] ?? '', bad.says);
    t.notRegex(result.stderr, /\n\s+at /, 'no stack trace');
    t.deepEqual(await readdir(work), ['ca'], 'no file written');
    t.deepEqual(await snapshot(ca), before, 'the CA folder is as it was');
  });
}
