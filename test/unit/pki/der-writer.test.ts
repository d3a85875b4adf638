import test from 'ava';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { derBitString, derElement, derInteger, derSequence } from '../../../src/pki/der-writer.js';

test('lengths: short form below 128, then the fewest length octets (as asn1-schema encodes)', (t) => {
  for (const length of [0, 1, 127, 128, 255, 256, 65_535, 65_536]) {
    const content = Buffer.alloc(length, 0xab);
    const expected = Buffer.from(AsnConvert.serialize(new OctetString(content)));
    t.deepEqual(derElement(0x04, content), expected, `${length} octets`);
  }
});

test('INTEGERs are minimal and never negative', (t) => {
  const hex = (value: bigint) => derInteger(value).toString('hex');
  t.is(hex(0n), '020100');
  t.is(hex(127n), '02017f');
  t.is(hex(128n), '02020080');
  t.is(hex(256n), '02020100');
  t.is(hex(0xffffn), '020300ffff');
});

test('a BIT STRING of whole octets and a SEQUENCE of parts', (t) => {
  t.is(derBitString(Buffer.of(1, 2)).toString('hex'), '0303000102');
  t.is(derSequence([derInteger(1n), derInteger(2n)]).toString('hex'), '3006020101020102');
});
