import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { berToDer } from '../../../../src/pki/pkcs12/ber.js';
import { readPfx } from '../../../../src/pki/pkcs12/pfx-read.js';
import { readElement } from '../../../../src/pki/describe/der.js';
import { fixturesDir } from '../../../helpers/index.js';

const hex = (text: string) => Buffer.from(text.replace(/ /g, ''), 'hex');
const derHex = (text: string) => berToDer(hex(text)).toString('hex');

test('indefinite lengths become definite', (t) => {
  t.is(derHex('3080 020105 0000'), '3003020105');
  t.is(derHex('3080 a080 020105 0000 0000'), '3005a003020105');
});

test('a constructed OCTET STRING becomes one primitive OCTET STRING', (t) => {
  t.is(derHex('2480 04020102 040103 0000'), '0403010203');
  t.is(derHex('2407 04020102 040103'), '0403010203');
  // Nested chunks, as X.690 allows.
  t.is(derHex('2480 2480 040101 0000 040102 0000'), '04020102');
});

test('DER passes through unchanged', async (t) => {
  const der = await readFile(join(fixturesDir, 'pkcs12', 'openssl.modern.p12'));
  t.deepEqual(berToDer(der), der);
});

test('long lengths are re-encoded in the shortest form', (t) => {
  const content = Buffer.alloc(300, 0xab);
  const ber = Buffer.concat([
    hex('2480 04820100'),
    content.subarray(0, 256),
    hex('04 2c'),
    content.subarray(256),
    hex('0000'),
  ]);
  t.deepEqual(berToDer(ber), Buffer.concat([hex('0482012c'), content]));
});

const malformed: Record<string, string> = {
  'trailing data': '3003020105 00',
  'a length past the end': '3005020105',
  'no end-of-contents': '3080 020105',
  'an indefinite primitive': '0480 01 0000',
  'a constructed OCTET STRING of other types': '2403 020101',
  'a high tag number': '1f8101 00',
  'a five-octet length': '3085 0000000001 00',
};

for (const [title, input] of Object.entries(malformed)) {
  test(`throws a RangeError on ${title}`, (t) => {
    t.throws(() => berToDer(hex(input)), { instanceOf: RangeError });
  });
}

test('refuses nesting deep enough to exhaust the stack', (t) => {
  const depth = 100;
  const ber = Buffer.concat([
    Buffer.alloc(depth * 2).map((_, index) => (index % 2 ? 0x80 : 0x30)),
    Buffer.alloc(depth * 2),
  ]);
  t.throws(() => berToDer(ber), { instanceOf: RangeError, message: /nested too deeply/ });
});

/**
 * What NSS (Firefox's export) writes: every constructed element with an indefinite length, and
 * long OCTET STRINGs in 64-byte chunks. The MAC covers the octets, not their framing, so the
 * file still verifies.
 */
function nssStyle(data: Uint8Array, offset = 0): Buffer {
  const element = readElement(data, offset);
  const contentStart = element.end - element.content.length;
  if (element.tag & 0x20) {
    const children: Buffer[] = [];
    for (let position = contentStart; position < element.end;) {
      children.push(nssStyle(data, position));
      position = readElement(data, position).end;
    }
    return Buffer.concat([Buffer.of(element.tag, 0x80), ...children, Buffer.alloc(2)]);
  }
  if (element.tag === 0x04 && element.content.length > 64) {
    const chunks: Buffer[] = [];
    for (let start = 0; start < element.content.length; start += 64) {
      chunks.push(definite(0x04, element.content.subarray(start, start + 64)));
    }
    return Buffer.concat([Buffer.of(0x24, 0x80), ...chunks, Buffer.alloc(2)]);
  }
  return Buffer.from(data.subarray(offset, element.end));
}

function definite(tag: number, content: Uint8Array): Buffer {
  const length =
    content.length < 0x80 ? Buffer.of(content.length) : Buffer.of(0x81, content.length);
  return Buffer.concat([Buffer.of(tag), length, content]);
}

test('an NSS-style BER file reads like its DER original', async (t) => {
  const der = await readFile(join(fixturesDir, 'pkcs12', 'openssl.modern.p12'));
  const ber = nssStyle(der);
  t.true(ber.includes(Buffer.of(0x24, 0x80)), 'the copy has chunked OCTET STRINGs');
  t.not(ber.length, der.length);
  const options = { source: 'nss.p12', passphrase: async () => 'fixture-pass' };
  const fromBer = await readPfx(ber, options);
  const fromDer = await readPfx(der, options);
  t.deepEqual(fromBer.certificates, fromDer.certificates);
  t.deepEqual(
    fromBer.keys.map((key) => key.pkcs8),
    fromDer.keys.map((key) => key.pkcs8),
  );
});
