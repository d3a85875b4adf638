import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { decodePem, encodePem, looksLikePem, readDerHeader } from '../../../src/io/pem.js';
import { fixturesDir } from '../../helpers/index.js';

const keysDir = join(fixturesDir, 'openssl-keys');
const der = Buffer.from('3006020101020102', 'hex');

test('encodePem writes 64-character lines that decodePem reads back', (t) => {
  const bytes = Buffer.alloc(100, 0xab);
  const pem = encodePem('CERTIFICATE', bytes);
  const lines = pem.trimEnd().split('\n');
  t.is(lines[0], '-----BEGIN CERTIFICATE-----');
  t.is(lines.at(-1), '-----END CERTIFICATE-----');
  t.deepEqual(
    lines.slice(1, -1).map((line) => line.length),
    [64, 64, 8],
  );
  const [block] = decodePem(pem);
  t.is(block?.label, 'CERTIFICATE');
  t.deepEqual(block?.der, bytes);
  t.is(block?.text, pem);
});

test('decodePem returns every block in order and ignores text around them', (t) => {
  const text = [
    'Certificate:',
    '    Data: (as openssl x509 -text prints)',
    encodePem('CERTIFICATE', der).trimEnd(),
    'between',
    encodePem('X509 CRL', Buffer.from([0x30, 0x00])).trimEnd(),
    '',
  ].join('\r\n');
  const blocks = decodePem(text, 'bundle.pem');
  t.deepEqual(
    blocks.map((block) => block.label),
    ['CERTIFICATE', 'X509 CRL'],
  );
  t.deepEqual(blocks[0]?.der, der);
});

test('decodePem keeps RFC 1421 headers of legacy encrypted keys', async (t) => {
  const text = await readFile(join(keysDir, 'openssl.rsa.traditional-aes256.enc.pem'), 'utf8');
  const [block] = decodePem(text);
  t.is(block?.label, 'RSA PRIVATE KEY');
  t.is(block?.headers['Proc-Type'], '4,ENCRYPTED');
  t.regex(block?.headers['DEK-Info'] ?? '', /^AES-256-CBC,[0-9A-F]{32}$/);
  t.is((block?.der.length ?? 1) % 16, 0);
});

test('decodePem finds the key after the EC PARAMETERS block of openssl ecparam -genkey', async (t) => {
  const text = await readFile(join(keysDir, 'openssl.ecparam.sec1.pem'), 'utf8');
  t.deepEqual(
    decodePem(text).map((block) => block.label),
    ['EC PARAMETERS', 'EC PRIVATE KEY'],
  );
});

const good = encodePem('PRIVATE KEY', Buffer.alloc(48, 1));
const malformed: Array<[string, string, RegExp]> = [
  ['no END line', good.split('\n').slice(0, -2).join('\n'), /truncated \(no END line\)/],
  [
    'a BEGIN before the END',
    good.split('\n').slice(0, 2).join('\n') + '\n' + good,
    /PRIVATE KEY is truncated \(BEGIN PRIVATE KEY before its END line\)/,
  ],
  [
    'mismatched END',
    good.replace('END PRIVATE KEY', 'END CERTIFICATE'),
    /BEGIN PRIVATE KEY ends with END CERTIFICATE/,
  ],
  ['non-base64 text', good.replace(/\n(.)/, '\n!$1'), /holds non-base64 text/],
  ['padding in the middle', good.replace(/\n(.{4})/, '\nAA==$1'), /base64 is cut or joined/],
  ['a cut base64 group', good.replace(/\n(.)/, '\n'), /base64 is cut or joined/],
  ['an empty block', '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n', /is empty/],
];

for (const [name, text, message] of malformed) {
  test(`decodePem refuses ${name}, naming the source`, (t) => {
    const error = t.throws(() => decodePem(text, 'key.pem'), { instanceOf: InputError });
    t.regex(error?.message ?? '', /^key\.pem: /);
    t.regex(error?.message ?? '', message);
    t.is(error?.exitCode, 3);
  });
}

test('decodePem reads a file saved with a byte-order mark', (t) => {
  const [block] = decodePem(`\uFEFF${encodePem('CERTIFICATE', der)}`);
  t.deepEqual(block?.der, der);
});

test('decodePem of text without blocks is an empty list', (t) => {
  t.deepEqual(decodePem('just some text\n'), []);
});

test('looksLikePem tells PEM from DER', async (t) => {
  for (const name of ['openssl.genrsa.pkcs8.der', 'openssl.genpkey.ed25519.der']) {
    t.false(looksLikePem(await readFile(join(keysDir, name))), name);
  }
  for (const name of ['openssl.genrsa.pkcs8.pem', 'openssl.ecparam.sec1.pem']) {
    t.true(looksLikePem(await readFile(join(keysDir, name))), name);
  }
  t.false(looksLikePem(Buffer.from('garbage')));
  t.false(looksLikePem(Buffer.alloc(0)));
});

test('looksLikePem finds a block after pages of text (openssl rsa -text of a 4096-bit key)', (t) => {
  const text = 'modulus:\n' + '    00:c3:9f:1a:77:...\n'.repeat(400) + good;
  t.true(text.indexOf('-----BEGIN') > 4096);
  t.true(looksLikePem(Buffer.from(text)));
});

test('readDerHeader reads short and long lengths, and refuses malformed ones', (t) => {
  t.deepEqual(readDerHeader(Buffer.from('3003020101', 'hex')), {
    tag: 0x30,
    contentStart: 2,
    contentLength: 3,
    end: 5,
  });
  t.deepEqual(readDerHeader(Buffer.from('308201000000', 'hex')), {
    tag: 0x30,
    contentStart: 4,
    contentLength: 0x100,
    end: 0x104,
  });
  t.deepEqual(readDerHeader(Buffer.from('00000405', 'hex'), 2)?.end, 4 + 5);
  t.is(readDerHeader(Buffer.from('3080', 'hex')), undefined, 'indefinite length is not DER');
  t.is(readDerHeader(Buffer.from('3085ffffffffff', 'hex')), undefined, 'too many length octets');
  t.is(readDerHeader(Buffer.from('3082ff', 'hex')), undefined, 'length octets cut off');
  t.is(readDerHeader(Buffer.from('30', 'hex')), undefined);
});
