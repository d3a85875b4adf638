import test from 'ava';
import { UsageError } from '../../../src/errors.js';
import { evaluateExpectations, parseExpectations, scannersFor } from '../../../src/probe/expect.js';
import type { TargetReport } from '../../../src/probe/report.js';
import { suiteReport } from '../../../src/probe/report-entries.js';

const REPORT: TargetReport = {
  target: 'example.test:443',
  host: 'example.test',
  port: 443,
  serverName: 'example.test',
  starttls: null,
  status: 'scanned',
  error: null,
  durationMs: 10,
  clientHellos: 20,
  protocols: (['SSLv2', 'SSLv3', 'TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const).map(
    (protocol) => ({
      protocol,
      version: '0x0000',
      supported: protocol === 'TLS1.1' || protocol === 'TLS1.2' || protocol === 'TLS1.3',
      evidence: '',
    }),
  ),
  cipherSuites: [
    {
      protocol: 'TLS1.2',
      serverPreference: true,
      complete: true,
      error: null,
      suites: [suiteReport(0xc02f), suiteReport(0x000a)],
    },
    {
      protocol: 'TLS1.3',
      serverPreference: null,
      complete: true,
      error: null,
      suites: [suiteReport(0x1301)],
    },
  ],
  keyExchange: {
    tls13: {
      groups: [{ id: '0x001d', name: 'x25519', bits: 255 }],
      serverPreference: null,
      complete: true,
      error: null,
      keyShareResponse: null,
    },
    ecdhe: {
      protocol: 'TLS1.2',
      groups: [{ id: '0x0017', name: 'secp256r1', bits: 256 }],
      serverPreference: null,
      complete: true,
      error: null,
    },
    dhe: null,
  },
  certificates: null,
  extras: null,
  rating: { grade: 'C', reasons: [] },
  expectations: null,
  findings: [],
};

const results = (text: string) =>
  evaluateExpectations(parseExpectations(text), REPORT).map((result) => [
    result.expectation,
    result.passed,
    result.actual,
  ]);

test('ordered measures compare versions, grades and numbers', (t) => {
  t.deepEqual(
    results(
      'minVersion=TLS1.2, minVersion>=tls1.1, maxVersion<=TLS1.3, grade>=B, grade!=A, dhBits>=2048',
    ),
    [
      ['minVersion=TLS1.2', false, 'TLS1.1'],
      ['minVersion>=tls1.1', true, 'TLS1.1'],
      ['maxVersion<=TLS1.3', true, 'TLS1.3'],
      ['grade>=B', false, 'C'],
      ['grade!=A', true, 'C'],
      ['dhBits>=2048', true, 'no DHE suites'],
    ],
  );
});

test('set measures: exactly, at least, only, none of — with names as users write them', (t) => {
  t.deepEqual(
    results(
      'groups>=x25519+P-256,groups<=x25519,protocols=TLS1.2+TLS1.3,ciphers!=DES-CBC3-SHA+0x0005',
    ),
    [
      ['groups>=x25519+P-256', true, 'x25519+secp256r1'],
      ['groups<=x25519', false, 'x25519+secp256r1'],
      ['protocols=TLS1.2+TLS1.3', false, 'TLS1.1+TLS1.2+TLS1.3'],
      [
        'ciphers!=DES-CBC3-SHA+0x0005',
        false,
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256+TLS_RSA_WITH_3DES_EDE_CBC_SHA+TLS_AES_128_GCM_SHA256',
      ],
    ],
  );
});

test('flags, negated flags, and unknowns that fail rather than pass', (t) => {
  t.deepEqual(
    results(
      'noWeakCiphers,!noWeakCiphers,serverPreference,forwardSecrecy,certTrusted,!compression',
    ),
    [
      ['noWeakCiphers', false, 'false'],
      ['!noWeakCiphers', true, 'false'],
      ['serverPreference', true, 'true'],
      ['forwardSecrecy', false, 'false'],
      ['certTrusted', false, 'unknown'],
      ['!compression', false, 'unknown'],
    ],
  );
});

test('each expectation turns on the scanner it needs', (t) => {
  t.deepEqual(
    [
      ...scannersFor(parseExpectations('minVersion=TLS1.2,groups>=x25519,certTrusted,alpn>=h2')),
    ].sort(),
    ['certificates', 'extras', 'groups', 'protocols'],
  );
  t.deepEqual([...scannersFor(parseExpectations('grade>=B'))].sort(), [
    'ciphers',
    'extras',
    'groups',
  ]);
});

for (const [text, message] of [
  ['', /no assertions/],
  ['minVersion', /needs an operator and a value/],
  ['minVersion=TLS9', /"TLS9" is not a protocol/],
  ['grade>=Z', /not a grade/],
  ['colour=red', /unknown name "colour" \(known: noWeakCiphers/],
  ['noWeakCiphers=true', /is a flag/],
  ['!grade>=A', /only flags can be negated/],
  ['groups>=x25519+nope', /"nope" is not a group/],
  ['ciphers>=NOT-A-SUITE', /is not a cipher suite/],
  ['dhBits>=big', /not a whole number/],
] as const) {
  test(`a bad --expect is a usage error naming it: ${JSON.stringify(text)}`, (t) => {
    t.throws(() => parseExpectations(text), { instanceOf: UsageError, message });
  });
}
