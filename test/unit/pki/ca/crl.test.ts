import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { WrongPassphraseError } from '../../../../src/errors.js';
import { generateCaCrl } from '../../../../src/pki/ca/crl.js';
import { issueFromCa } from '../../../../src/pki/ca/issue.js';
import { revokeFromCa } from '../../../../src/pki/ca/revoke.js';
import { crlSignedBy, describeCrl } from '../../../../src/pki/describe/crl.js';
import { makeRoot, passphrase } from './ca-fixture.js';

const clock = new Date('2026-11-23T10:00:00Z');

test('a v2 CRL: number, AKI, revoked serials in order with reasons, signed by the CA', async (t) => {
  const { work, root } = await makeRoot(t, {
    passphrase: 'crl-pass',
    key: { type: 'ec', curve: 'P-384' },
  });
  const pass = passphrase('crl-pass');
  const issued = await Promise.all(
    ['a', 'b', 'c'].map((name) =>
      issueFromCa({
        dir: root,
        commonName: `${name}.example.test`,
        out: join(work, name),
        passphrase: pass,
      }),
    ),
  );
  const [a, b, c] = issued.map((result) => result.serial) as [string, string, string];
  await revokeFromCa({ dir: root, serial: a, reason: 'keyCompromise', now: clock });
  await revokeFromCa({ dir: root, serial: c, now: clock });
  const result = await generateCaCrl({ dir: root, days: 7, passphrase: pass, now: clock });
  t.is(result.crlNumber, 1);
  t.is(result.thisUpdate, '2026-11-23T10:00:00.000Z');
  t.is(result.nextUpdate, '2026-11-30T10:00:00.000Z');
  t.is(result.signatureAlgorithm, 'ecdsa-with-SHA384');
  t.deepEqual(result.files, [join(root, 'crl.pem'), join(root, 'crl.der')]);
  const der = await readFile(join(root, 'crl.der'));
  t.regex(await readFile(join(root, 'crl.pem'), 'utf8'), /^-----BEGIN X509 CRL-----\n/);
  const ca = new X509Certificate(await readFile(join(root, 'ca.cert.pem')));
  t.true(crlSignedBy(der, ca.publicKey));
  const described = describeCrl(der, { source: 'crl.der', now: clock });
  t.is(described.version, 2);
  t.is(described.crlNumber, '1');
  t.deepEqual(described.issuer, describeCrl(der, { source: 'x' }).issuer);
  const expected = [
    { serialNumber: a, revocationDate: '2026-11-23T10:00:00.000Z', reason: 'keyCompromise' },
    { serialNumber: c, revocationDate: '2026-11-23T10:00:00.000Z', reason: null },
  ].sort((x, y) => (BigInt(`0x${x.serialNumber}`) < BigInt(`0x${y.serialNumber}`) ? -1 : 1));
  // Serials as Node and openssl print them: no DER sign octet for serials with the top bit set.
  const revoked = described.revoked;
  t.deepEqual(revoked, expected);
  t.false(revoked.some((entry) => entry.serialNumber === b));
  const list = AsnConvert.parse(der, CertificateList);
  const extensionIds = (list.tbsCertList.crlExtensions ?? []).map((e) => [e.extnID, e.critical]);
  t.deepEqual(extensionIds, [
    ['2.5.29.35', false],
    ['2.5.29.20', false],
  ]);
  t.is(await readFile(join(root, 'crlnumber'), 'utf8'), '02\n');
  t.is((await stat(join(root, 'crl.der'))).mode & 0o777, 0o644);
});

test('each CRL takes the next number; with nothing revoked the list is absent', async (t) => {
  const { work, root } = await makeRoot(t);
  const first = await generateCaCrl({ dir: root });
  const second = await generateCaCrl({ dir: root, out: join(work, 'copy.der') });
  t.is(first.crlNumber, 1);
  t.is(second.crlNumber, 2);
  t.is(Date.parse(second.nextUpdate) - Date.parse(second.thisUpdate), 30 * 86_400_000);
  const der = await readFile(join(work, 'copy.der'));
  t.deepEqual(der, await readFile(join(root, 'crl.der')));
  t.is(AsnConvert.parse(der, CertificateList).tbsCertList.revokedCertificates, undefined);
});

test('a wrong passphrase writes no CRL and keeps the number', async (t) => {
  const { root } = await makeRoot(t, { passphrase: 'right' });
  await t.throwsAsync(generateCaCrl({ dir: root, passphrase: passphrase('wrong') }), {
    instanceOf: WrongPassphraseError,
  });
  t.is(await readFile(join(root, 'crlnumber'), 'utf8'), '01\n');
  await t.throwsAsync(stat(join(root, 'crl.pem')));
});
