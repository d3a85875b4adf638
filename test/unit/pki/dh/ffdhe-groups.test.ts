import test from 'ava';
import { UsageError } from '../../../../src/errors.js';
import { bigintOfBytes, bitLengthOf } from '../../../../src/pki/bigint.js';
import { FFDHE_GROUPS, ffdheGroup } from '../../../../src/pki/dh/ffdhe-groups.js';
import { identifyDhGroup } from '../../../../src/pki/dh/known-groups.js';
import { getDiffieHellman } from 'node:crypto';

/** floor(e * 2^bits), from the series e = Σ 1/k!, with guard bits for the truncations. */
function eTimesPowerOfTwo(bits: bigint): bigint {
  const guard = 64n;
  let sum = 0n;
  let term = 1n << (bits + guard);
  for (let k = 1n; term > 0n; k++) {
    sum += term;
    term /= k;
  }
  return sum >> guard;
}

/** RFC 7919 appendix A: the X of each group (its p is the first safe prime from this offset). */
const RFC_7919_X: Record<string, bigint> = {
  ffdhe2048: 560316n,
  ffdhe3072: 2625351n,
  ffdhe4096: 5736041n,
  ffdhe6144: 15705020n,
  ffdhe8192: 10965728n,
};

for (const name of FFDHE_GROUPS) {
  test(`${name} is the RFC 7919 formula p = 2^b - 2^(b-64) + (⌊2^(b-130) e⌋ + X) 2^64 - 1`, (t) => {
    const group = ffdheGroup(name);
    const b = BigInt(group.bits);
    const expected =
      2n ** b -
      2n ** (b - 64n) +
      (eTimesPowerOfTwo(b - 130n) + (RFC_7919_X[name] as bigint)) * 2n ** 64n -
      1n;
    t.is(group.parameters.prime, expected);
    t.is(bitLengthOf(group.parameters.prime), group.bits);
    t.is(group.parameters.generator, 2n);
    t.is(group.parameters.prime % 24n, 23n, 'p ≡ 23 (mod 24): 2 generates the order-q subgroup');
  });
}

test('the RFC 7919 facts: strength and short-exponent length grow with the group', (t) => {
  const groups = FFDHE_GROUPS.map(ffdheGroup);
  t.deepEqual(
    groups.map((group) => [group.bits, group.securityBits, group.shortExponentBits]),
    [
      [2048, 103, 225],
      [3072, 125, 275],
      [4096, 150, 325],
      [6144, 175, 375],
      [8192, 192, 400],
    ],
  );
});

test('an unknown group name is a usage error listing the groups', (t) => {
  const error = t.throws(() => ffdheGroup('ffdhe1024'), { instanceOf: UsageError });
  t.regex(error?.hint ?? '', /ffdhe2048, ffdhe3072/);
});

test('identifies every RFC 7919 group, and only with its generator', (t) => {
  for (const name of FFDHE_GROUPS) {
    const { parameters } = ffdheGroup(name);
    t.like(identifyDhGroup(parameters), { name, standard: 'RFC 7919' });
    t.is(identifyDhGroup({ ...parameters, generator: 5n }), undefined);
  }
});

test("identifies Node's MODP groups (RFC 3526 and RFC 2409)", (t) => {
  const modp = (name: string) => {
    const group = getDiffieHellman(name);
    return {
      prime: bigintOfBytes(group.getPrime()),
      generator: bigintOfBytes(group.getGenerator()),
    };
  };
  t.deepEqual(identifyDhGroup(modp('modp14')), {
    name: 'modp14',
    standard: 'RFC 3526',
    bits: 2048,
  });
  t.deepEqual(identifyDhGroup(modp('modp2')), { name: 'modp2', standard: 'RFC 2409', bits: 1024 });
});

test('a group of its own is not identified', (t) => {
  const { parameters } = ffdheGroup('ffdhe2048');
  t.is(identifyDhGroup({ prime: parameters.prime - 2n, generator: 2n }), undefined);
});
