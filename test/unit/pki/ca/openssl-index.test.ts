import test from 'ava';
import { InputError } from '../../../../src/errors.js';
import { encodeName, parseSubject } from '../../../../src/pki/name.js';
import {
  formatIndex,
  formatIndexSerial,
  formatIndexTime,
  formatOnelineName,
  formatSerialFile,
  parseIndex,
  parseSerialFile,
} from '../../../../src/pki/ca/openssl-index.js';

// Lines exactly as `openssl ca` 3.0 wrote them: a valid certificate, one revoked with a reason,
// one expiring after 2049 (GeneralizedTime), one with an empty subject (named by its serial),
// and one held with openssl's -crl_hold pseudo-reason.
const OPENSSL_INDEX = [
  'V\t261223015138Z\t\t54000AF29D886A980CA16BFE4BC06FDF08E6DAAD\tunknown\t/C=UK/O=\\xC3\\x9Cn/UID=x+CN=a.example.test',
  'R\t261223015133Z\t261123015133Z,CACompromise\t652BCBBDC31E1DDBB77750D021BBF0565CC75FAB\tunknown\t/CN=a.example.test',
  'V\t20600101000000Z\t\t231583334AFA33264286005CEAB4616EDB234977\tunknown\t/CN=far.example.test',
  'V\t261223015153Z\t\t6090A510E9B1D9BF4616E38F6A5ADAF512561242\tunknown\t6090A510E9B1D9BF4616E38F6A5ADAF512561242',
  'R\t261223015153Z\t261124000000Z,holdInstruction,1.2.840.10040.2.2\t0A\tunknown\t/CN=held',
  'E\t200101000000Z\t\t01\tunknown\t/CN=old',
]
  .map((line) => `${line}\n`)
  .join('');

test('reads what openssl ca writes and writes it back byte for byte', (t) => {
  const entries = parseIndex(OPENSSL_INDEX, 'index.txt');
  t.is(entries.length, 6);
  t.is(formatIndex(entries), OPENSSL_INDEX);
  const [valid, revoked, far, , held, expired] = entries;
  t.is(valid?.status, 'V');
  t.is(valid?.expires.toISOString(), '2026-12-23T01:51:38.000Z');
  t.is(valid?.revocation, undefined);
  t.is(revoked?.revocation?.reason, 'cACompromise');
  t.is(revoked?.revocation?.date.toISOString(), '2026-11-23T01:51:33.000Z');
  t.is(far?.expires.toISOString(), '2060-01-01T00:00:00.000Z');
  t.is(held?.revocation?.reason, 'certificateHold', 'holdInstruction is a hold');
  t.is(expired?.status, 'E');
});

test('an empty index has no entries', (t) => {
  t.deepEqual(parseIndex('', 'index.txt'), []);
  t.is(formatIndex([]), '');
});

const CORRUPT: Array<[string, string, RegExp]> = [
  [
    'five fields',
    'V\t261223015138Z\t\t01\tunknown\n',
    /line 1: expected 6 tab-separated fields, found 5/,
  ],
  ['spaces for tabs', 'V 261223015138Z  01 unknown /CN=x\n', /found 1/],
  ['unknown status', 'X\t261223015138Z\t\t01\tunknown\t/CN=x\n', /status "X"/],
  ['bad expiry', 'V\t2612230151Z\t\t01\tunknown\t/CN=x\n', /expiry: "2612230151Z" is not a time/],
  ['impossible date', 'V\t261332015138Z\t\t01\tunknown\t/CN=x\n', /not a valid date/],
  ['revoked without a date', 'R\t261223015138Z\t\t01\tunknown\t/CN=x\n', /revocation date/],
  [
    'valid with a date',
    'V\t261223015138Z\t261123015133Z\t01\tunknown\t/CN=x\n',
    /has a revocation date/,
  ],
  ['unknown reason', 'R\t261223015138Z\t261123015133Z,oops\t01\tunknown\t/CN=x\n', /"oops"/],
  ['serial not hex', 'V\t261223015138Z\t\tXYZ\tunknown\t/CN=x\n', /serial "XYZ"/],
  [
    'serial twice',
    'V\t261223015138Z\t\t01\tunknown\t/CN=x\nV\t261223015138Z\t\t01\tunknown\t/CN=y\n',
    /line 2: serial 01 appears twice/,
  ],
];

for (const [title, text, message] of CORRUPT) {
  test(`a corrupt index is an input error naming the line: ${title}`, (t) => {
    const error = t.throws(() => parseIndex(text, 'ca/index.txt'), { instanceOf: InputError });
    t.regex(error?.message ?? '', /^ca\/index\.txt: line \d/);
    t.regex(error?.message ?? '', message);
    t.regex(error?.hint ?? '', /index\.txt\.old/);
  });
}

test('times are UTCTime until 2049 and GeneralizedTime from 2050, as in certificates', (t) => {
  t.is(formatIndexTime(new Date('2049-12-31T23:59:59Z')), '491231235959Z');
  t.is(formatIndexTime(new Date('2050-01-01T00:00:00Z')), '20500101000000Z');
  t.is(formatIndexTime(new Date('1999-06-15T12:00:00.900Z')), '990615120000Z');
});

test('serials are written as BN_bn2hex writes them: upper case, an even number of digits', (t) => {
  t.is(formatIndexSerial(0x1n), '01');
  t.is(formatIndexSerial(0x100n), '0100');
  t.is(formatIndexSerial(0xabcdefn), 'ABCDEF');
  t.is(formatSerialFile(0x1000n), '1000\n');
});

test('serial and crlnumber files are read as hex, and anything else is refused', (t) => {
  t.is(parseSerialFile('0A\n', 'crlnumber'), 10n);
  t.is(
    parseSerialFile('01AE61C521FB67BB4150F1960FAD8D49\n', 'serial'),
    0x01ae61c521fb67bb4150f1960fad8d49n,
  );
  t.throws(() => parseSerialFile('', 'crlnumber'), {
    instanceOf: InputError,
    message: /crlnumber/,
  });
  t.throws(() => parseSerialFile('twelve\n', 'serial'), { instanceOf: InputError });
});

test('subjects are written as X509_NAME_oneline writes them', (t) => {
  const name = (text: string) => encodeName(parseSubject(text));
  t.is(formatOnelineName(name('/C=UK/O=node.js/CN=localhost')), '/C=UK/O=node.js/CN=localhost');
  t.is(formatOnelineName(name('/UID=x+CN=a.example.test')), '/UID=x+CN=a.example.test');
  // Non-ASCII bytes as \xHH, upper-case hex, as openssl prints them in index.txt.
  t.is(formatOnelineName(name('/O=Ünï/CN=x')), '/O=\\xC3\\x9Cn\\xC3\\xAF/CN=x');
  t.is(formatOnelineName(name('/')), '');
});
