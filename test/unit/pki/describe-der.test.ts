import test from 'ava';
import {
  derFramingOf,
  type DerFraming,
  integerOf,
  oidText,
  readChildren,
  readElement,
} from '../../../src/pki/describe/der.js';

const framings: Array<[string, number[], DerFraming]> = [
  ['short form, complete', [0x30, 0x02, 0x05, 0x00], 'complete'],
  ['long form, complete', [0x30, 0x81, 0x01, 0x00], 'complete'],
  ['content cut short', [0x30, 0x05, 0x05, 0x00], 'truncated'],
  ['length octets cut short', [0x30, 0x82, 0x01], 'truncated'],
  ['header alone', [0x30], 'truncated'],
  ['bytes after the object', [0x30, 0x00, 0x00], 'trailing-data'],
  ['not a SEQUENCE', [0x04, 0x00], 'not-der'],
  ['BER indefinite length', [0x30, 0x80, 0x00, 0x00], 'not-der'],
  ['absurd length octets', [0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1], 'not-der'],
  ['empty', [], 'not-der'],
];

for (const [name, bytes, expected] of framings) {
  test(`DER framing: ${name}`, (t) => {
    t.is(derFramingOf(Uint8Array.from(bytes)), expected);
  });
}

test('readElement never reads past the end of its input', (t) => {
  t.throws(() => readElement(Uint8Array.from([0x04, 0x05, 0x01])), { instanceOf: RangeError });
  t.throws(() => readElement(Uint8Array.from([0x04])), { instanceOf: RangeError });
  const element = readElement(Uint8Array.from([0x04, 0x02, 0xaa, 0xbb, 0xff]));
  t.deepEqual([...element.content], [0xaa, 0xbb]);
  t.is(element.end, 4);
});

test('readChildren walks a constructed element in order', (t) => {
  const children = readChildren(Uint8Array.from([0x02, 0x01, 0x05, 0x02, 0x01, 0x11]));
  t.deepEqual(
    children.map((child) => integerOf(child.content)),
    [5, 17],
  );
});

test('oidText decodes the first two arcs and multi-byte arcs', (t) => {
  // 1.2.840.113549.1.1.11 (sha256WithRSAEncryption)
  const content = Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
  t.is(oidText(content), '1.2.840.113549.1.1.11');
  t.is(oidText(Uint8Array.from([0x55, 0x1d, 0x13])), '2.5.29.19');
});
