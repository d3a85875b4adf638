/** Unsigned big-integer helpers: DH numbers (p, g, q), EC scalars, RSA primes, DER INTEGERs. */

/** The number of bits in `value` (0 for 0), like OpenSSL's BN_num_bits. */
export function bitLengthOf(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** Big-endian unsigned bytes: as short as possible (one zero byte for 0), or left-padded. */
export function bytesOfBigint(value: bigint, length?: number): Buffer {
  const hex = value.toString(16);
  const minimal = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  if (length === undefined || minimal.length >= length) return minimal;
  return Buffer.concat([Buffer.alloc(length - minimal.length), minimal]);
}

export function bigintOfBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** Upper-case hex without a prefix, in whole bytes (what `openssl asn1parse` prints). */
export function hexOfBigint(value: bigint): string {
  return bytesOfBigint(value).toString('hex').toUpperCase();
}

/** base^exponent mod modulus, by square-and-multiply. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result % modulus;
}

/**
 * The Jacobi symbol (a/n) for odd n > 0: for a prime n it is the Legendre symbol, so by Euler's
 * criterion a^((n-1)/2) ≡ (a/n) mod n, without the cost of the exponentiation (a few ms where
 * modPow takes most of a second for an 8192-bit group). Cohen, algorithm 1.4.10.
 */
export function jacobiSymbol(a: bigint, n: bigint): -1 | 0 | 1 {
  let top = ((a % n) + n) % n;
  let bottom = n;
  let sign: -1 | 1 = 1;
  while (top !== 0n) {
    while ((top & 1n) === 0n) {
      top >>= 1n;
      const residue = bottom % 8n;
      // (2/n) = -1 exactly when n ≡ 3 or 5 (mod 8).
      if (residue === 3n || residue === 5n) sign = sign === 1 ? -1 : 1;
    }
    [top, bottom] = [bottom, top];
    // Quadratic reciprocity: the sign flips when both are ≡ 3 (mod 4).
    if (top % 4n === 3n && bottom % 4n === 3n) sign = sign === 1 ? -1 : 1;
    top %= bottom;
  }
  return bottom === 1n ? sign : 0;
}
