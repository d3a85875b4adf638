import test from 'ava';
import { gradeServer, rateSuite } from '../../../src/probe/rating.js';
import { cipherSuiteByName } from '../../../src/probe/registry/cipher-suites.js';

const suite = (name: string) => cipherSuiteByName(name)!;

for (const [name, strength, reasons] of [
  ['ECDHE-RSA-AES128-GCM-SHA256', 'strong', []],
  ['TLS_AES_256_GCM_SHA384', 'strong', []],
  ['ECDHE-ECDSA-CHACHA20-POLY1305', 'strong', []],
  ['ECDHE-RSA-AES128-SHA', 'ok', ['CBC mode', 'SHA-1 MAC']],
  ['AES128-GCM-SHA256', 'ok', ['no forward secrecy']],
  ['ECDHE-ECDSA-AES128-CCM8', 'ok', ['64-bit authentication tag']],
  [
    'DES-CBC3-SHA',
    'weak',
    ['3DES (small keys or 64-bit blocks)', 'no forward secrecy', 'CBC mode', 'SHA-1 MAC'],
  ],
  ['RC4-MD5', 'weak', ['RC4', 'MD5 MAC', 'no forward secrecy']],
  ['NULL-SHA256', 'weak', ['no encryption', 'no forward secrecy']],
  ['ADH-AES256-GCM-SHA384', 'weak', ['no server authentication']],
  ['EXP-RC4-MD5', 'weak', ['export grade', 'RC4', '40-bit key', 'MD5 MAC', 'no forward secrecy']],
] as const) {
  test(`${name} is ${strength}`, (t) => {
    t.deepEqual(rateSuite(suite(name)), { strength, reasons: [...reasons] });
  });
}

test('a modern server gets an A with no reasons', (t) => {
  const result = gradeServer({
    protocols: ['TLS1.2', 'TLS1.3'],
    suites: [suite('ECDHE-RSA-AES128-GCM-SHA256'), suite('TLS_AES_128_GCM_SHA256')],
    dhPrimeBits: null,
    compression: false,
    secureRenegotiation: true,
  });
  t.deepEqual(result, { grade: 'A', reasons: [] });
});

test('the worst cap wins and every reason is listed', (t) => {
  const result = gradeServer({
    protocols: ['SSLv3', 'TLS1.0', 'TLS1.2'],
    suites: [suite('ECDHE-RSA-AES128-GCM-SHA256'), suite('DES-CBC3-SHA'), suite('AES128-SHA')],
    dhPrimeBits: 1024,
    compression: true,
    secureRenegotiation: false,
  });
  t.is(result.grade, 'C');
  t.deepEqual(
    result.reasons.map((reason) => `${reason.cap}: ${reason.reason}`),
    [
      'C: SSLv3 is enabled (POODLE)',
      'C: 1 RC4, DES, 3DES, IDEA or RC2 suite',
      'C: TLS compression is enabled (CRIME)',
      'C: no secure renegotiation (RFC 5746)',
      'B: TLS 1.0 or 1.1 is enabled',
      'B: 2 suites without forward secrecy',
      'B: DH parameters of 1024 bits',
    ],
  );
});

test('SSLv2, export, NULL, anonymous suites or tiny DH groups fail', (t) => {
  t.is(
    gradeServer({
      protocols: ['SSLv2'],
      suites: [],
      dhPrimeBits: null,
      compression: null,
      secureRenegotiation: null,
    }).grade,
    'F',
  );
  t.is(
    gradeServer({
      protocols: ['TLS1.2'],
      suites: [suite('EXP-RC4-MD5')],
      dhPrimeBits: null,
      compression: null,
      secureRenegotiation: null,
    }).grade,
    'F',
  );
  t.is(
    gradeServer({
      protocols: ['TLS1.2'],
      suites: [suite('DHE-RSA-AES128-GCM-SHA256')],
      dhPrimeBits: 512,
      compression: null,
      secureRenegotiation: null,
    }).grade,
    'F',
  );
});

test('no protocol, no grade', (t) => {
  t.deepEqual(
    gradeServer({
      protocols: [],
      suites: [],
      dhPrimeBits: null,
      compression: null,
      secureRenegotiation: null,
    }),
    { grade: '-', reasons: [] },
  );
});
