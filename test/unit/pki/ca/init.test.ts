import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InputError,
  RefusedError,
  UsageError,
  WrongPassphraseError,
} from '../../../../src/errors.js';
import { openCaFolder } from '../../../../src/pki/ca/ca-store.js';
import { initCa } from '../../../../src/pki/ca/init.js';
import { createIntermediateCa } from '../../../../src/pki/ca/intermediate.js';
import { issueFromCa } from '../../../../src/pki/ca/issue.js';
import { parseIndex } from '../../../../src/pki/ca/openssl-index.js';
import { fixturesDir, makeTempDir } from '../../../helpers/index.js';
import { makeRoot, passphrase } from './ca-fixture.js';

const CA_FILES = [
  'ca.cert.pem',
  'ca.key.pem',
  'chain.pem',
  'crlnumber',
  'index.txt',
  'index.txt.attr',
  'newcerts',
  'openssl.cnf',
  'serial',
  'tlskit-ca.json',
];

test('ca init makes the whole folder: key 0600, certificate, config and OpenSSL state', async (t) => {
  const work = await makeTempDir(t);
  const dir = join(work, 'root');
  const result = await initCa({ dir, permit: ['DNS:.example.test'], pathLength: 1 });
  t.deepEqual((await readdir(dir)).sort(), CA_FILES);
  t.deepEqual(await readdir(work), ['root'], 'no staging folder left');
  t.is((await stat(join(dir, 'ca.key.pem'))).mode & 0o777, 0o600);
  t.is((await stat(join(dir, 'ca.cert.pem'))).mode & 0o777, 0o644);
  t.is(await readFile(join(dir, 'index.txt'), 'utf8'), '');
  t.is(await readFile(join(dir, 'crlnumber'), 'utf8'), '01\n');
  t.is(await readFile(join(dir, 'index.txt.attr'), 'utf8'), 'unique_subject = no\n');
  t.regex(await readFile(join(dir, 'serial'), 'utf8'), /^([0-9A-F]{2})+\n$/);
  t.regex(await readFile(join(dir, 'openssl.cnf'), 'utf8'), new RegExp(`^dir = ${dir}$`, 'm'));
  t.is(result.subject, 'CN=tlskit Root CA');
  t.is(result.issuer, result.subject);
  t.is(result.pathLength, 1);
  t.deepEqual(result.nameConstraints, { permitted: ['DNS:.example.test'], excluded: [] });
  t.deepEqual(result.key, { type: 'ec', bits: 256, curve: 'P-256' });
  t.false(result.encrypted);
  const certificate = new X509Certificate(await readFile(join(dir, 'ca.cert.pem')));
  t.true(certificate.ca);
  t.true(certificate.verify(certificate.publicKey), 'self-signed');
  t.is(certificate.serialNumber, result.serial);
  const days = (Date.parse(result.notAfter) - Date.parse(result.notBefore)) / 86_400_000;
  t.true(Math.abs(days - 3650) < 0.01, `${days} days`);
  const folder = await openCaFolder(dir);
  t.is(folder.chain.length, 1);
  t.is(folder.config.defaults.profile, 'server');
});

test('an encrypted CA key needs its passphrase', async (t) => {
  const { root } = await makeRoot(t, { passphrase: 'root-pass', key: { type: 'ed25519' } });
  t.regex(await readFile(join(root, 'ca.key.pem'), 'utf8'), /ENCRYPTED PRIVATE KEY/);
  const { loadCaKey } = await import('../../../../src/pki/ca/ca-store.js');
  const folder = await openCaFolder(root);
  await t.throwsAsync(loadCaKey(folder, passphrase('wrong')), { instanceOf: WrongPassphraseError });
  await t.throwsAsync(loadCaKey(folder), { instanceOf: UsageError, message: /is encrypted/ });
  t.is((await loadCaKey(folder, passphrase('root-pass'))).asymmetricKeyType, 'ed25519');
});

test('ca init never overwrites: a folder with anything in it is refused before any work', async (t) => {
  const work = await makeTempDir(t);
  const dir = join(work, 'busy');
  await mkdir(dir);
  await writeFile(join(dir, 'notes.txt'), 'mine');
  await t.throwsAsync(initCa({ dir }), {
    instanceOf: RefusedError,
    message: `${dir} already exists and is not empty`,
  });
  t.deepEqual(await readdir(dir), ['notes.txt']);
  const empty = join(work, 'empty');
  await mkdir(empty);
  await initCa({ dir: empty });
  t.true((await readdir(empty)).includes('tlskit-ca.json'));
});

test('ca init into a missing parent folder is an input error naming it', async (t) => {
  const work = await makeTempDir(t);
  await t.throwsAsync(initCa({ dir: join(work, 'no', 'ca') }), {
    instanceOf: InputError,
    message: /folder .*\/no does not exist/,
  });
  t.deepEqual(await readdir(work), []);
});

test('bad CA options fail before anything is written', async (t) => {
  const work = await makeTempDir(t);
  const dir = join(work, 'ca');
  await t.throwsAsync(initCa({ dir, permit: ['example.test'] }), { instanceOf: InputError });
  await t.throwsAsync(initCa({ dir, pathLength: -1 }), { instanceOf: UsageError });
  await t.throwsAsync(initCa({ dir, crlUrls: ['not a url'] }), { instanceOf: InputError });
  await t.throwsAsync(initCa({ dir, key: { type: 'ec', bits: 2048 } }), { instanceOf: UsageError });
  await t.throwsAsync(initCa({ dir, subject: '/XX=nope' }), { instanceOf: InputError });
  t.deepEqual(await readdir(work), []);
});

test('ca intermediate: signed by the parent, recorded in its index, chain.pem up to the root', async (t) => {
  const { work, root } = await makeRoot(t, {
    permit: ['DNS:.example.test'],
    passphrase: 'rootpass',
  });
  const inter = join(work, 'inter');
  const result = await createIntermediateCa({
    dir: inter,
    parentDir: root,
    parentPassphrase: passphrase('rootpass'),
  });
  t.is(result.issuer, 'CN=tlskit Root CA');
  t.is(result.subject, 'CN=tlskit Intermediate CA');
  t.is(result.pathLength, 0);
  t.deepEqual(result.nameConstraints.permitted, ['DNS:.example.test'], 'inherited');
  const entries = parseIndex(await readFile(join(root, 'index.txt'), 'utf8'), 'index.txt');
  t.is(entries.length, 1);
  t.is(entries[0]?.serial, result.serial);
  t.is(entries[0]?.subject, '/CN=tlskit Intermediate CA');
  t.deepEqual(await readdir(join(root, 'newcerts')), [`${result.serial}.pem`]);
  t.is(
    await readFile(join(root, 'serial'), 'utf8'),
    `${(BigInt(`0x${result.serial}`) + 1n).toString(16).toUpperCase().padStart(result.serial.length, '0')}\n`,
  );
  const folder = await openCaFolder(inter);
  t.is(folder.chain.length, 2);
  const [own, parent] = folder.chain.map((ca) => new X509Certificate(ca.der));
  t.true(own!.verify(parent!.publicKey));
  t.true(own!.checkIssued(parent!));
});

test('ca intermediate refuses what the parent forbids, and leaves both folders as they were', async (t) => {
  const { work, root } = await makeRoot(t, { permit: ['DNS:.example.test'] });
  const inter = join(work, 'inter');
  await createIntermediateCa({ dir: inter, parentDir: root });
  const before = await readFile(join(root, 'index.txt'), 'utf8');
  await t.throwsAsync(createIntermediateCa({ dir: join(work, 'sub'), parentDir: inter }), {
    instanceOf: RefusedError,
    message: /pathlen 0: it cannot issue CA certificates/,
  });
  await t.throwsAsync(
    createIntermediateCa({ dir: join(work, 'wide'), parentDir: root, permit: ['DNS:.other.test'] }),
    { instanceOf: RefusedError, message: /DNS:\.other\.test lies outside/ },
  );
  await t.throwsAsync(
    createIntermediateCa({ dir: join(work, 'long'), parentDir: root, days: 4000 }),
    {
      instanceOf: RefusedError,
      message: /would outlive/,
    },
  );
  t.is(await readFile(join(root, 'index.txt'), 'utf8'), before);
  t.deepEqual((await readdir(work)).sort(), ['inter', 'root']);
  t.is(await readFile(join(inter, 'index.txt'), 'utf8'), '');
});

test('a pathlen 1 intermediate may have one CA below it', async (t) => {
  const { work, root } = await makeRoot(t);
  const policy = join(work, 'policy');
  await createIntermediateCa({ dir: policy, parentDir: root, pathLength: 1 });
  const issuing = join(work, 'issuing');
  const result = await createIntermediateCa({ dir: issuing, parentDir: policy });
  t.is(result.pathLength, 0);
  // The default 1825 days would outlive the parent (made a moment earlier): cut to its end.
  const parent = new X509Certificate(await readFile(join(policy, 'ca.cert.pem')));
  t.is(Date.parse(result.notAfter), Date.parse(parent.validTo));
  t.is((await openCaFolder(issuing)).chain.length, 3);
  await t.throwsAsync(
    createIntermediateCa({ dir: join(work, 'deeper'), parentDir: policy, pathLength: 1 }),
    {
      instanceOf: RefusedError,
      message: /pathlen 1 is more than .* allows below it \(0\)/,
    },
  );
});

test('a default profile file is copied into the folder, and issuing uses it from there', async (t) => {
  const work = await makeTempDir(t);
  const dir = join(work, 'ca');
  const profile = join(fixturesDir, 'profiles', 'valid-minimal.json');
  await initCa({ dir, defaultProfile: profile, defaultDays: 10 });
  t.is(await readFile(join(dir, 'valid-minimal.json'), 'utf8'), await readFile(profile, 'utf8'));
  const folder = await openCaFolder(dir);
  t.deepEqual(folder.config.defaults, { profile: 'valid-minimal.json', crlDays: 30, days: 10 });
  t.regex(
    await readFile(join(dir, 'openssl.cnf'), 'utf8'),
    /^x509_extensions = tlskit_valid_minimal$/m,
  );
  const result = await issueFromCa({ dir, commonName: 'm.example.test', out: join(work, 'm') });
  t.is(result.profile, 'valid-minimal');
  t.is(Date.parse(result.notAfter) - Date.parse(result.notBefore), 10 * 86_400_000 + 60_000);
});
