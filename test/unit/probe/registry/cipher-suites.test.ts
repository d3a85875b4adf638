import test from 'ava';
import {
  allCipherSuites,
  cipherSuiteById,
  cipherSuiteByName,
  cipherSuiteName,
  cipherSuitesToOffer,
  isForwardSecret,
} from '../../../../src/probe/registry/cipher-suites.js';
import { groupByName, groupName } from '../../../../src/probe/registry/groups.js';
import { parseProtocolName, versionName } from '../../../../src/probe/registry/versions.js';

test('the table holds every IANA-assigned suite once, plus the deployed unassigned ones', (t) => {
  const rows = allCipherSuites();
  t.is(new Set(rows.map((row) => row.id)).size, rows.length);
  t.is(rows.filter((row) => row.iana).length, 350);
  t.true(rows.every((row, index) => index === 0 || (rows[index - 1]?.id ?? -1) < row.id));
});

test('suites are described by data, with IANA and OpenSSL names', (t) => {
  t.like(cipherSuiteById(0xc02f), {
    name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
    kx: 'ECDHE',
    au: 'RSA',
    enc: 'AES',
    mode: 'GCM',
    bits: 128,
    mac: 'AEAD',
    minVersion: 'TLS1.2',
    recommended: true,
  });
  t.like(cipherSuiteById(0x000a), {
    openssl: 'DES-CBC3-SHA',
    enc: '3DES',
    mode: 'CBC',
    mac: 'SHA1',
  });
  t.like(cipherSuiteById(0x0017), { kx: 'DHE', au: 'anon', enc: 'RC4', bits: 40, export: true });
  t.like(cipherSuiteById(0x1301), { kx: 'any', minVersion: 'TLS1.3', maxVersion: 'TLS1.3' });
  t.like(cipherSuiteById(0x0062), { iana: false, openssl: 'EXP1024-DES-CBC-SHA' });
});

test('lookup by IANA or OpenSSL name, any case', (t) => {
  t.is(cipherSuiteByName('ecdhe-rsa-aes256-gcm-sha384')?.id, 0xc030);
  t.is(cipherSuiteByName('TLS_AES_128_GCM_SHA256')?.id, 0x1301);
  t.is(cipherSuiteByName('NO-SUCH-SUITE'), undefined);
});

test('names fall back to signalling values, GREASE and hex', (t) => {
  t.is(cipherSuiteName(0x00ff), 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
  t.is(cipherSuiteName(0x5600), 'TLS_FALLBACK_SCSV');
  t.is(cipherSuiteName(0x3a3a), 'GREASE(0x3a3a)');
  t.is(cipherSuiteName(0x1234), '0x1234');
  t.is(groupName(0x7777), '0x7777');
  t.is(groupName(0x11ec), 'X25519MLKEM768');
  t.is(groupByName('prime256v1')?.id, 0x0017);
  t.is(versionName(0x7f1c), 'TLS1.3-draft28');
  t.is(versionName(0x0399), '0x0399');
});

test('each version is offered the suites defined for it', (t) => {
  const tls13 = cipherSuitesToOffer(0x0304).map((row) => row.id);
  t.true(tls13.includes(0x1301));
  t.false(tls13.includes(0xc02f));
  const tls10 = cipherSuitesToOffer(0x0301).map((row) => row.id);
  t.true(tls10.includes(0x002f));
  t.false(tls10.includes(0xc02f), 'GCM suites are TLS 1.2 only');
  t.false(tls10.includes(0x1301));
  const tls12 = cipherSuitesToOffer(0x0303).map((row) => row.id);
  t.true(
    tls12.includes(0x0003),
    'export suites are still offered, to catch servers that break the rules',
  );
});

test('forward secrecy follows the key exchange', (t) => {
  t.true(isForwardSecret(cipherSuiteById(0xc02f)!));
  t.true(isForwardSecret(cipherSuiteById(0x1301)!));
  t.false(isForwardSecret(cipherSuiteById(0x009c)!));
});

test('protocol names as users type them', (t) => {
  t.is(parseProtocolName('TLS1.2'), 'TLS1.2');
  t.is(parseProtocolName('tlsv1.3'), 'TLS1.3');
  t.is(parseProtocolName('tls1_1'), 'TLS1.1');
  t.is(parseProtocolName('SSLv3'), 'SSLv3');
  t.is(parseProtocolName('TLS2'), undefined);
});
