import test from 'ava';
import { InternalError } from '../../../../src/errors.js';
import { ByteWriter, encodeBytes } from '../../../../src/probe/wire/byte-writer.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('writes big-endian integers of each width', (t) => {
  const bytes = encodeBytes((writer) => writer.u8(0x01).u16(0x0203).u24(0x040506).u32(0x0708090a));
  t.is(hex(bytes), '0102030405060708090a');
});

test('length-prefixed blocks patch their prefix, nested blocks included', (t) => {
  const bytes = encodeBytes((writer) =>
    writer.block16((outer) => {
      outer.u8(0xaa);
      outer.block8((inner) => inner.bytes(Uint8Array.of(1, 2, 3)));
      outer.block24(() => {});
    }),
  );
  t.is(hex(bytes), '0008' + 'aa' + '03010203' + '000000');
});

test('grows past its initial buffer without losing bytes', (t) => {
  const big = new Uint8Array(70_000).map((_, index) => index & 0xff);
  const bytes = encodeBytes((writer) => writer.block24((body) => body.bytes(big)));
  t.is(bytes.length, 3 + big.length);
  t.is(bytes[0], 0x01);
  t.is(bytes[1], 0x11);
  t.is(bytes[2], 0x70);
  t.deepEqual(bytes.subarray(3), big);
});

test('a value or block that does not fit its field is an internal error, not a bad encoding', (t) => {
  t.throws(() => new ByteWriter().u8(256), { instanceOf: InternalError });
  t.throws(() => new ByteWriter().u16(-1), { instanceOf: InternalError });
  t.throws(() => new ByteWriter().u16(1.5), { instanceOf: InternalError });
  t.throws(() => new ByteWriter().block8((body) => body.bytes(new Uint8Array(256))), {
    instanceOf: InternalError,
    message: /8-bit length/,
  });
});
