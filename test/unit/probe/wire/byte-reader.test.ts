import test from 'ava';
import { ByteReader } from '../../../../src/probe/wire/byte-reader.js';
import { ProbeParseError } from '../../../../src/probe/wire/probe-parse-error.js';

const reader = (hex: string) => new ByteReader(Uint8Array.from(Buffer.from(hex, 'hex')), 'Test');

test('reads integers and bytes in order', (t) => {
  const input = reader('01020304050607');
  t.is(input.u8('a'), 0x01);
  t.is(input.u16('b'), 0x0203);
  t.is(input.u24('c'), 0x040506);
  t.deepEqual([...input.bytes(1, 'd')], [0x07]);
  t.true(input.atEnd);
  t.notThrows(() => input.end());
});

test('a short read names the structure and the field', (t) => {
  const input = reader('0102');
  input.u8('first');
  const error = t.throws(() => input.u16('cipher_suite'), { instanceOf: ProbeParseError });
  t.is(error?.message, 'Test: cipher_suite: needs 2 bytes, 1 left');
});

test('a sub-reader is confined to its vector, and the parent moves past it', (t) => {
  const input = reader('0003aabbcc' + 'dd');
  const vector = input.sub16('list');
  t.is(vector.remaining, 3);
  t.deepEqual(
    vector.list((item) => item.u8('item')),
    [0xaa, 0xbb, 0xcc],
  );
  t.is(input.u8('after'), 0xdd);
});

test('a length that overruns its block fails instead of reading the next field', (t) => {
  const input = reader('0005aabb');
  t.throws(() => input.sub16('extensions'), {
    instanceOf: ProbeParseError,
    message: 'Test: extensions: needs 5 bytes, 2 left',
  });
});

test('a sub-reader cannot read past its own bound even when the parent has bytes', (t) => {
  const input = reader('01aa' + 'bbbb');
  const vector = input.sub8('name');
  vector.u8('first');
  t.throws(() => vector.u8('second'), {
    instanceOf: ProbeParseError,
    message: /Test name: second/,
  });
});

test('end() rejects trailing data', (t) => {
  const input = reader('0102');
  input.u8('one');
  t.throws(() => input.end(), {
    instanceOf: ProbeParseError,
    message: 'Test: 1 bytes of trailing data',
  });
});

test('opaque vectors of each prefix width', (t) => {
  const input = reader('01aa' + '0002bbcc' + '000001dd');
  t.deepEqual([...input.opaque8('a')], [0xaa]);
  t.deepEqual([...input.opaque16('b')], [0xbb, 0xcc]);
  t.deepEqual([...input.opaque24('c')], [0xdd]);
});
