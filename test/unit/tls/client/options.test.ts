import test from 'ava';
import { UsageError } from '../../../../src/errors.js';
import {
  decodeSendText,
  parseExpectPattern,
  parseTlsVersion,
} from '../../../../src/tls/client/options.js';
import { formatAddress, parseTarget } from '../../../../src/tls/client/target.js';

const targets: Array<[string, { host: string; port: number }]> = [
  ['example.com:443', { host: 'example.com', port: 443 }],
  ['127.0.0.1:8443', { host: '127.0.0.1', port: 8443 }],
  ['[::1]:443', { host: '::1', port: 443 }],
  ['[2001:db8::1]:65535', { host: '2001:db8::1', port: 65535 }],
];
for (const [text, expected] of targets) {
  test(`parseTarget("${text}")`, (t) => {
    t.deepEqual(parseTarget(text), expected);
    t.is(formatAddress(expected.host, expected.port), text);
  });
}

const badTargets: Array<[string, RegExp]> = [
  ['example.com', /give a port/],
  ['::1:443', /brackets/],
  ['[example.com]:443', /not an IPv6 address/],
  ['example.com:0', /from 1 to 65535/],
  ['example.com:65536', /from 1 to 65535/],
  ['example.com:https', /give a port/],
  ['', /give a port/],
];
for (const [text, hint] of badTargets) {
  test(`parseTarget refuses "${text}"`, (t) => {
    const error = t.throws(() => parseTarget(text), { instanceOf: UsageError });
    t.regex(`${error?.message} ${error?.hint}`, hint);
  });
}

test('parseTlsVersion reads short and long forms', (t) => {
  t.is(parseTlsVersion('1.2'), 'TLSv1.2');
  t.is(parseTlsVersion('TLSv1.3'), 'TLSv1.3');
  t.is(parseTlsVersion('tls1.1'), 'TLSv1.1');
  t.is(parseTlsVersion('1.0'), 'TLSv1');
  t.is(parseTlsVersion('TLSv1'), 'TLSv1');
  t.throws(() => parseTlsVersion('1.4', '--max-version'), {
    instanceOf: UsageError,
    message: '--max-version: "1.4" is not a TLS version',
  });
  t.throws(() => parseTlsVersion('ssl3'), { instanceOf: UsageError });
});

test('decodeSendText turns escapes into bytes and leaves UTF-8 text alone', (t) => {
  t.deepEqual(decodeSendText('GET / HTTP/1.0\\r\\n\\r\\n'), Buffer.from('GET / HTTP/1.0\r\n\r\n'));
  t.deepEqual(decodeSendText('a\\tb\\\\c\\0'), Buffer.from('a\tb\\c\0'));
  t.deepEqual(decodeSendText('\\x16\\x03\\xff'), Buffer.from([0x16, 0x03, 0xff]));
  t.deepEqual(decodeSendText('héllo'), Buffer.from('héllo', 'utf8'));
  t.throws(() => decodeSendText('\\q'), {
    instanceOf: UsageError,
    message: /unknown escape "\\q"/,
  });
  t.throws(() => decodeSendText('\\x1'), { instanceOf: UsageError });
});

test('parseExpectPattern compiles once and names a bad pattern', (t) => {
  t.true(parseExpectPattern('^HTTP/1\\.[01] 200').test('HTTP/1.1 200 OK'));
  t.throws(() => parseExpectPattern('('), { instanceOf: UsageError, message: /^--expect: / });
});
