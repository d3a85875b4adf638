import test from 'ava';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { oidText, readElement } from '../../../src/pki/describe/der.js';
import {
  derBitString,
  derElement,
  derExplicit,
  derInteger,
  derObjectIdentifier,
  derOctetString,
  derSequence,
} from '../../../src/pki/der-writer.js';

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

test('OBJECT IDENTIFIERs: X.690 vectors, multi-octet arcs included, and back through the reader', (t) => {
  const vectors: Array<[string, string]> = [
    ['2.5.4.3', '0603550403'],
    ['1.2.840.113549.1.12.10.1.3', '060b2a864886f70d010c0a0103'],
    ['1.3.6.1.4.1.311.60.2.1.3', '060b2b0601040182373c020103'],
    ['2.999.1', '0603883701'],
  ];
  for (const [oid, hex] of vectors) {
    const der = derObjectIdentifier(oid);
    t.is(der.toString('hex'), hex, oid);
    t.is(oidText(readElement(der).content), oid);
  }
});

test('an EXPLICIT context tag wraps one element', (t) => {
  t.is(derExplicit(0, derOctetString(Buffer.of(1))).toString('hex'), 'a003040101');
});
