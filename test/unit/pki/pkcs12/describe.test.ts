import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WrongPassphraseError } from '../../../../src/errors.js';
import { decodePem } from '../../../../src/io/pem.js';
import {
  describePkcs12,
  looksLikePkcs12,
  pkcs12Tree,
} from '../../../../src/pki/describe/pkcs12.js';
import { renderTree } from '../../../../src/render/text-tree.js';
import { fixturesDir } from '../../../helpers/index.js';

const dir = join(fixturesDir, 'pkcs12');
const fixture = (name: string) => readFile(join(dir, name));

test('without a passphrase: MAC, algorithms and the visible bags, nothing decrypted', async (t) => {
  const description = await describePkcs12(await fixture('openssl.legacy.p12'), {
    source: 'l.p12',
  });
  t.like(description, {
    kind: 'pkcs12',
    mac: { algorithm: 'sha1', iterations: 2048, saltBytes: 8, supported: true },
    legacy: true,
    needsLegacyProvider: true,
    decrypted: false,
    keys: [],
    certificates: [],
  });
  const [certificates, keys] = description.safes;
  t.like(certificates, {
    kind: 'encrypted',
    bags: null,
    encryption: { scheme: 'pbeWithSHA1And40BitRC2-CBC' },
  });
  t.like(keys, { kind: 'data', encryption: null });
  t.like(keys?.bags?.[0], {
    type: 'pkcs8ShroudedKeyBag',
    friendlyName: 'leaf',
    encryption: { scheme: 'pbeWithSHA1And3-KeyTripleDES-CBC', iterations: 2048 },
  });
  const text = renderTree([pkcs12Tree(description, 'PKCS#12 file')]);
  t.regex(text, /MAC: HMAC-SHA1, 2048 iterations, 8-byte salt/);
  t.regex(text, /Format: legacy \(OpenSSL 3 needs -legacy, and Node cannot load it\)/);
  t.regex(text, /#1 EncryptedData: pbeWithSHA1And40BitRC2-CBC, 2048 iterations/);
  t.regex(text, /give the passphrase to list the keys and certificates/);
});

test("with the passphrase: the key and the certificates, the key's own marked", async (t) => {
  const description = await describePkcs12(await fixture('openssl.modern.p12'), {
    source: 'm.p12',
    passphrase: async () => 'fixture-pass',
  });
  t.false(description.legacy);
  t.true(description.decrypted);
  t.like(description.keys, [
    { keyType: 'ec', curve: 'P-256', keyTypeText: 'EC P-256', friendlyName: 'leaf' },
  ]);
  t.like(description.certificates, [
    {
      subjectString: 'CN=leaf.test',
      issuerString: 'CN=Fixture CA',
      matchesKey: true,
      friendlyName: 'leaf',
    },
    { subjectString: 'CN=Fixture CA', matchesKey: false, friendlyName: null },
  ]);
  t.like(description.safes[0], {
    kind: 'encrypted',
    bags: [{ type: 'certBag' }, { type: 'certBag' }],
  });
  const text = renderTree([pkcs12Tree(description, 'PKCS#12 file')]);
  t.regex(text, /Format: modern \(PBES2\)/);
  t.regex(text, /Private keys \(1\)\n.*EC P-256 "leaf"/);
  t.regex(text, /CN=leaf\.test \(the key's certificate\)/);
});

test("includePem adds each certificate's PEM, never a key's", async (t) => {
  const description = await describePkcs12(await fixture('openssl.modern.p12'), {
    source: 'm.p12',
    passphrase: async () => 'fixture-pass',
    includePem: true,
  });
  const leaf = await readFile(join(dir, 'openssl.leaf.cert.pem'), 'utf8');
  t.is(description.certificates[0]?.pem, leaf);
  t.notRegex(JSON.stringify(description), /PRIVATE KEY/);
});

test('a file without a MAC says so', async (t) => {
  const description = await describePkcs12(await fixture('openssl.nomac.p12'), { source: 'n.p12' });
  t.is(description.mac, null);
  t.regex(renderTree([pkcs12Tree(description, 'PKCS#12 file')]), /MAC: none/);
});

test('a wrong passphrase is a WrongPassphraseError', async (t) => {
  await t.throwsAsync(
    describePkcs12(await fixture('openssl.modern.p12'), {
      source: 'm.p12',
      passphrase: async () => 'nope',
    }),
    { instanceOf: WrongPassphraseError },
  );
});

test('looksLikePkcs12 tells PFX from certificates and keys', async (t) => {
  t.true(looksLikePkcs12(await fixture('openssl.modern.p12')));
  t.true(looksLikePkcs12(await fixture('keytool.legacy.p12')));
  const [certificate] = decodePem(await readFile(join(dir, 'openssl.leaf.cert.pem'), 'utf8'));
  const [key] = decodePem(await readFile(join(dir, 'openssl.leaf.key.pem'), 'utf8'));
  t.false(looksLikePkcs12(certificate?.der as Buffer));
  // A PKCS#8 key starts with INTEGER 0, not 3.
  t.false(looksLikePkcs12(key?.der as Buffer));
  t.false(looksLikePkcs12(Buffer.alloc(0)));
});
