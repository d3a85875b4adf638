import test from 'ava';
import { InputError } from '../../../src/errors.js';
import {
  formatSerial,
  MAX_SERIAL_OCTETS,
  parseSerial,
  randomSerial,
  SERIAL_ENTROPY_BYTES,
} from '../../../src/pki/serial.js';

/** A random source that returns the given draws in turn, and records the sizes asked for. */
function scriptedRandom(...draws: string[]) {
  const sizes: number[] = [];
  const random = (size: number) => {
    sizes.push(size);
    return Buffer.from(draws.shift() ?? '', 'hex');
  };
  return { random, sizes };
}

test('random serials draw 16 bytes and are positive, non-zero, at most 17 octets', (t) => {
  const { random, sizes } = scriptedRandom('7f'.repeat(16));
  t.is(randomSerial(random).toString('hex'), '7f'.repeat(16));
  t.deepEqual(sizes, [SERIAL_ENTROPY_BYTES]);
});

test('a draw with the top bit set gets a 0x00 in front (all 128 bits kept)', (t) => {
  const { random } = scriptedRandom('ff'.repeat(16));
  t.is(randomSerial(random).toString('hex'), `00${'ff'.repeat(16)}`);
});

test('leading zero octets are dropped (DER INTEGERs are minimal)', (t) => {
  const { random } = scriptedRandom(`0000${'80'}${'11'.repeat(13)}`);
  t.is(randomSerial(random).toString('hex'), `0080${'11'.repeat(13)}`);
});

test('a zero draw is drawn again', (t) => {
  const { random, sizes } = scriptedRandom('00'.repeat(16), `${'00'.repeat(15)}01`);
  t.is(randomSerial(random).toString('hex'), '01');
  t.is(sizes.length, 2);
});

test('real random serials: minimal, positive DER, distinct', (t) => {
  const seen = new Set<string>();
  for (let index = 0; index < 200; index++) {
    const serial = randomSerial();
    t.true(serial.length >= 1 && serial.length <= SERIAL_ENTROPY_BYTES + 1);
    t.false(((serial[0] as number) & 0x80) !== 0, 'positive');
    if (serial.length > 1) t.false(serial[0] === 0 && ((serial[1] as number) & 0x80) === 0);
    seen.add(serial.toString('hex'));
  }
  t.is(seen.size, 200);
});

const parsed: Array<[string, string]> = [
  ['0x1001', '1001'],
  ['1001', '1001'],
  ['3A:F2:01', '3af201'],
  ['3a f2 01', '3af201'],
  ['abc', '0abc'],
  ['ff', '00ff'],
  ['00FF', '00ff'],
  ['0x00000001', '01'],
  ['7f'.repeat(20), '7f'.repeat(20)],
];

for (const [text, hex] of parsed) {
  test(`serial "${text}" is DER content ${hex}`, (t) => {
    t.is(parseSerial(text).toString('hex'), hex);
  });
}

const refused: Array<[string, RegExp]> = [
  ['', /is not a hexadecimal number/],
  ['0x', /is not a hexadecimal number/],
  ['zz', /"zz" is not a hexadecimal number/],
  ['-5', /is negative/],
  ['0', /is zero/],
  ['00:00', /is zero/],
  ['ff'.repeat(20), /takes 21 octets; the limit is 20/],
  ['01'.repeat(21), /takes 21 octets/],
];

for (const [text, message] of refused) {
  test(`serial "${text}" is refused`, (t) => {
    t.throws(() => parseSerial(text), { instanceOf: InputError, message });
  });
}

test('the limit is RFC 5280 twenty octets', (t) => {
  t.is(MAX_SERIAL_OCTETS, 20);
});

test('serials print as openssl prints them after serial=', (t) => {
  t.is(formatSerial(Buffer.from('00ff', 'hex')), 'FF');
  t.is(formatSerial(Buffer.from('0a', 'hex')), '0A');
  t.is(formatSerial(Buffer.from('1001', 'hex')), '1001');
  t.is(formatSerial(parseSerial('3a:f2:01')), '3AF201');
});
