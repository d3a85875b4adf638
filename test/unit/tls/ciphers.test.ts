import test from 'ava';
import { DEFAULT_CIPHERS, getCiphers } from 'node:tls';
import { InputError } from '../../../src/errors.js';
import { offeredCipherSuites } from '../../../src/tls/ciphers/client-hello-probe.js';
import {
  cipherStringName,
  defaultCipherList,
  expandCipherString,
  nodeCipherList,
} from '../../../src/tls/ciphers/expand.js';
import { CIPHER_SUITES, hexId, suiteById, suiteByName } from '../../../src/tls/ciphers/suites.js';

test('the table: 160 suites, unique code points and names, sorted', (t) => {
  t.is(CIPHER_SUITES.length, 160);
  const ids = CIPHER_SUITES.map((suite) => Number(suite.id));
  t.is(new Set(ids).size, ids.length);
  t.deepEqual(
    ids,
    [...ids].sort((a, b) => a - b),
  );
  t.is(new Set(CIPHER_SUITES.map((suite) => suite.openssl)).size, ids.length);
  t.is(new Set(CIPHER_SUITES.map((suite) => suite.iana)).size, ids.length);
  t.true(CIPHER_SUITES.every((suite) => suite.id === hexId(Number(suite.id))));
});

test('lookups by code point and by either name, in any case', (t) => {
  t.like(suiteById(0xc02f), {
    id: '0xC02F',
    iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
    protocol: 'TLSv1.2',
    kx: 'ECDH',
    au: 'RSA',
    enc: 'AESGCM(128)',
    mac: 'AEAD',
    forwardSecrecy: true,
    aead: true,
    notes: [],
  });
  t.is(suiteByName('ecdhe-rsa-aes128-gcm-sha256'), suiteById(0xc02f));
  t.is(suiteByName('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), suiteById(0xc02f));
  t.is(suiteByName('tls_aes_128_gcm_sha256'), suiteById(0x1301));
  t.is(suiteByName('NO-SUCH-SUITE'), undefined);
});

test('an unknown code point keeps its hex instead of failing', (t) => {
  t.like(suiteById(0x1306), { id: '0x1306', iana: '0x1306', protocol: 'unknown' });
});

const judged: Array<[number, Partial<{ forwardSecrecy: boolean; aead: boolean }>, string[]]> = [
  [0x1301, { forwardSecrecy: true, aead: true }, []],
  [
    0x002f,
    { forwardSecrecy: false, aead: false },
    ['no forward secrecy', 'CBC (MAC-then-encrypt)'],
  ],
  [0x00a7, { forwardSecrecy: true, aead: true }, ['no authentication (anonymous)']],
  [
    0x0001,
    { forwardSecrecy: false, aead: false },
    ['no encryption', 'no forward secrecy', 'MD5 MAC'],
  ],
  [0xc0ae, { forwardSecrecy: true, aead: true }, ['64-bit tag (CCM_8)']],
  [0x00a8, { forwardSecrecy: false, aead: true }, ['no forward secrecy', 'needs a pre-shared key']],
  [
    0xc020,
    { forwardSecrecy: true, aead: false },
    ['CBC (MAC-then-encrypt)', 'SRP: Node has no SRP'],
  ],
];

for (const [id, verdict, notes] of judged) {
  test(`${suiteById(id).openssl}: forward secrecy, AEAD and notes`, (t) => {
    t.like(suiteById(id), verdict);
    t.deepEqual(suiteById(id).notes, notes);
  });
}

test("expands a cipher string in OpenSSL's order, TLS 1.3 defaults first", async (t) => {
  const list = await expandCipherString('ECDHE+AESGCM:!aNULL');
  t.is(list.source, 'spec');
  t.is(list.spec, 'ECDHE+AESGCM:!aNULL');
  t.deepEqual(
    list.suites.map((suite) => suite.id),
    ['0x1302', '0x1303', '0x1301', '0xC02C', '0xC030', '0xC02B', '0xC02F'],
  );
  t.true(list.suites.every((suite) => suite.usable));
});

test('TLS_ names choose the TLS 1.3 suites; TLS_ names alone mean TLS 1.3 only', async (t) => {
  const mixed = await expandCipherString(
    'TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES128-GCM-SHA256',
  );
  t.deepEqual(mixed.suites.map(cipherStringName), [
    'TLS_CHACHA20_POLY1305_SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
  ]);
  const only = await expandCipherString('TLS_AES_128_CCM_8_SHA256');
  t.deepEqual(
    only.suites.map((suite) => suite.id),
    ['0x1305'],
  );
});

test('anonymous and NULL suites are listed but not usable at the default security level', async (t) => {
  const anonymous = await expandCipherString('aNULL');
  const adh = anonymous.suites.find((suite) => suite.openssl === 'ADH-AES256-GCM-SHA384');
  t.false(adh?.usable);
  t.true(anonymous.suites.filter((suite) => suite.protocol === 'TLSv1.3').every((s) => s.usable));
  const atLevelZero = await expandCipherString('aNULL:@SECLEVEL=0');
  t.true(atLevelZero.suites.every((suite) => suite.usable));
});

test('suites without forward secrecy are not usable at security level 3', async (t) => {
  const list = await expandCipherString(
    'AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=3',
  );
  const usable = Object.fromEntries(list.suites.map((suite) => [suite.openssl, suite.usable]));
  t.like(usable, { 'AES128-GCM-SHA256': false, 'ECDHE-RSA-AES128-GCM-SHA256': true });
});

test('PSK suites are offered (a pskCallback is configured) and usable', async (t) => {
  const list = await expandCipherString('PSK');
  t.true(list.suites.length > 40);
  // Usable, except the NULL-encryption ones the alias includes (below security level 1).
  for (const suite of list.suites) t.is(suite.usable, suite.enc !== 'None', suite.openssl);
});

test('a string that matches nothing is an InputError naming it', async (t) => {
  for (const spec of ['FOO', 'TLS_NO_SUCH_SUITE', 'TLS_NO_SUCH_SUITE:HIGH', '']) {
    await t.throwsAsync(expandCipherString(spec), {
      instanceOf: InputError,
      message: `no cipher suite matches "${spec}"`,
    });
  }
});

test("Node's default list expands with TLS 1.3 first and no anonymous suite", async (t) => {
  const list = await defaultCipherList();
  t.is(list.source, 'default');
  t.is(list.spec, DEFAULT_CIPHERS);
  t.deepEqual(
    list.suites.slice(0, 3).map((suite) => suite.id),
    ['0x1302', '0x1303', '0x1301'],
  );
  t.is(list.suites[3]?.openssl, 'ECDHE-RSA-AES128-GCM-SHA256');
  t.true(list.suites.every((suite) => suite.au !== 'None' && suite.usable));
});

test("Node's supported list: every tls.getCiphers() name, TLS 1.3 first, SRP unusable", async (t) => {
  const list = await nodeCipherList();
  t.is(list.source, 'node');
  t.is(list.suites.length, getCiphers().length);
  t.deepEqual(
    list.suites.map((suite) => suite.openssl.toLowerCase()).sort(),
    [...getCiphers()].sort(),
  );
  const firstOlder = list.suites.findIndex((suite) => suite.protocol !== 'TLSv1.3');
  t.true(list.suites.slice(firstOlder).every((suite) => suite.protocol !== 'TLSv1.3'));
  for (const suite of list.suites) t.is(suite.usable, suite.kx !== 'SRP', suite.openssl);
});

test('the ClientHello probe leaves out the signalling values', async (t) => {
  const ids = await offeredCipherSuites('AES128-SHA');
  t.false(ids.includes(0x00ff));
  t.deepEqual(ids.slice(-1), [0x002f]);
});
