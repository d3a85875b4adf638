import test from 'ava';
import {
  bigintOfBytes,
  bitLengthOf,
  bytesOfBigint,
  hexOfBigint,
  jacobiSymbol,
  modPow,
} from '../../../src/pki/bigint.js';

test('bit lengths count like BN_num_bits', (t) => {
  t.is(bitLengthOf(0n), 0);
  t.is(bitLengthOf(1n), 1);
  t.is(bitLengthOf(0xffn), 8);
  t.is(bitLengthOf(0x100n), 9);
  t.is(bitLengthOf(1n << 2047n), 2048);
});

test('bytes round-trip, minimal and big-endian', (t) => {
  t.deepEqual(bytesOfBigint(0n), Buffer.of(0));
  t.deepEqual(bytesOfBigint(0x1234n), Buffer.of(0x12, 0x34));
  t.deepEqual(bytesOfBigint(0x80n), Buffer.of(0x80));
  t.is(bigintOfBytes(Buffer.of(0x00, 0x01, 0x00)), 0x100n);
  t.is(bigintOfBytes(Buffer.alloc(0)), 0n);
  t.is(hexOfBigint(0xabcn), '0ABC');
});

test('modPow agrees with repeated multiplication', (t) => {
  t.is(modPow(3n, 0n, 7n), 1n);
  t.is(modPow(2n, 10n, 1000n), 24n);
  t.is(modPow(5n, 117n, 19n), 5n ** 117n % 19n);
});

const SMALL_ODD_PRIMES = [3n, 5n, 7n, 11n, 13n, 23n, 47n, 59n, 83n, 107n, 167n, 179n, 227n, 263n];

test("the Jacobi symbol is Euler's criterion for every residue of small primes", (t) => {
  for (const prime of SMALL_ODD_PRIMES) {
    for (let a = 0n; a < prime; a++) {
      const euler = modPow(a, (prime - 1n) / 2n, prime);
      const expected = euler === 0n ? 0 : euler === 1n ? 1 : -1;
      t.is(jacobiSymbol(a, prime), expected, `(${a}/${prime})`);
    }
  }
});

test('the Jacobi symbol of a multiple of a factor is 0, and negatives reduce', (t) => {
  t.is(jacobiSymbol(21n, 35n), 0);
  t.is(jacobiSymbol(-1n, 7n), -1);
  t.is(jacobiSymbol(-1n, 13n), 1);
});
