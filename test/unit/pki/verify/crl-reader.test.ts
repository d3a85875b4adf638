import test from 'ava';
import { createPublicKey } from 'node:crypto';
import { InputError } from '../../../../src/errors.js';
import { serialHexOf } from '../../../../src/pki/verify/chain-certificate.js';
import {
  parseRevocationList,
  revocationListSignedBy,
} from '../../../../src/pki/verify/crl-reader.js';
import { canonicalName, namesMatch } from '../../../../src/pki/verify/name-canon.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { makeCertificate, makeCrl } from '../../../helpers/chains.js';

test('a CRL: issuer, times, authority key identifier and revoked serials', async (t) => {
  const ca = await makeCertificate({ subject: '/CN=CRL Test CA' });
  const revoked = await makeCertificate({ subject: '/CN=revoked', issuer: ca });
  const thisUpdate = new Date('2026-03-01T00:00:00Z');
  const nextUpdate = new Date('2026-03-08T00:00:00Z');
  const list = parseRevocationList(
    makeCrl(ca, { revoked: [revoked], thisUpdate, nextUpdate }).der,
    'test.crl',
  );
  t.true(namesMatch(list.issuer, canonicalName(new Uint8Array(AsnConvert.serialize(ca.subject)))));
  t.is(list.issuerText, 'CN=CRL Test CA');
  t.is(list.thisUpdate.toISOString(), thisUpdate.toISOString());
  t.is(list.nextUpdate?.toISOString(), nextUpdate.toISOString());
  t.deepEqual(list.authorityKeyIdentifier?.keyIdentifier, ca.subjectKeyIdentifier);
  t.deepEqual([...list.revoked], [[serialHexOf(revoked.serial), 1]]);
  t.false(list.delta);
  t.false(list.unhandledCritical);
  t.true(list.signatureAlgorithmsAgree);
});

test('a CRL without nextUpdate', async (t) => {
  const ca = await makeCertificate({ subject: '/CN=CRL Test CA' });
  t.is(parseRevocationList(makeCrl(ca, { nextUpdate: null }).der, 'x').nextUpdate, undefined);
});

test("the signature verifies with the issuer's key only", async (t) => {
  const ca = await makeCertificate({ subject: '/CN=CRL Test CA' });
  const other = await makeCertificate({ subject: '/CN=Other' });
  const list = parseRevocationList(makeCrl(ca).der, 'x');
  t.true(revocationListSignedBy(list, createPublicKey(ca.key)));
  t.false(revocationListSignedBy(list, createPublicKey(other.key)));
});

test('a damaged CRL is an InputError naming the source', (t) => {
  t.throws(() => parseRevocationList(Uint8Array.of(0x30, 0x10, 0x30), 'cut.crl'), {
    instanceOf: InputError,
    message: /^cut\.crl is truncated/,
  });
  t.throws(() => parseRevocationList(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00), 'odd.crl'), {
    instanceOf: InputError,
    message: /^odd\.crl is not a valid CRL/,
  });
});

test('serials compare as signed integers, whatever their padding', (t) => {
  t.is(serialHexOf(Uint8Array.of(0x00, 0x80)), '80');
  t.is(serialHexOf(Uint8Array.of(0x01, 0x00)), '100');
  t.is(serialHexOf(Uint8Array.of(0xff)), '-1');
  t.is(serialHexOf(Uint8Array.of(0x00)), '0');
});
