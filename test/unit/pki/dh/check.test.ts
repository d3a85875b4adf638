import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jacobiSymbol } from '../../../../src/pki/bigint.js';
import {
  checkDhParameters,
  firstFailedCheck,
  type DhCheckName,
  type DhCheckResult,
} from '../../../../src/pki/dh/check.js';
import { decodeDhParameters, type DhParameters } from '../../../../src/pki/dh/dh-params.js';
import { FFDHE_GROUPS, ffdheGroup } from '../../../../src/pki/dh/ffdhe-groups.js';
import { generateDhParameters } from '../../../../src/pki/dh/generate.js';
import { fixturesDir } from '../../../helpers/index.js';

const statusOf = (result: DhCheckResult) =>
  Object.fromEntries(result.checks.map((check) => [check.name, check.status]));

async function fixture(name: string): Promise<DhParameters> {
  const data = await readFile(join(fixturesDir, 'malformed', 'dh', name));
  return decodeDhParameters(data, name).parameters;
}

/** One 512-bit group for the tests that need a fresh safe prime (fast at this size). */
const small = generateDhParameters({ bits: 512, allowWeak: true });

test('every RFC 7919 group passes and is named, without a primality test', async (t) => {
  for (const name of FFDHE_GROUPS) {
    const started = performance.now();
    const result = await checkDhParameters(ffdheGroup(name).parameters);
    t.true(result.ok, name);
    t.like(result.knownGroup, { name, standard: 'RFC 7919' });
    t.true(
      result.checks.every((check) => check.status === 'pass'),
      name,
    );
    // ffdhe8192 takes about 15 s to test: published primes are trusted, as OpenSSL does.
    t.true(performance.now() - started < 2_000, `${name} checked quickly`);
  }
});

test('a fresh 512-bit group: safe prime and the right subgroup, but too small for Node', async (t) => {
  const result = await checkDhParameters((await small).parameters);
  t.false(result.ok);
  t.is(result.knownGroup, null);
  t.deepEqual(statusOf(result), {
    size: 'fail',
    prime: 'pass',
    'safe-prime': 'pass',
    'generator-range': 'pass',
    'generator-order': 'pass',
  });
  t.regex(firstFailedCheck(result)?.detail ?? '', /Node refuses DH groups below 1024 bits/);
});

test('a generator of the whole group is a warning, not a failure', async (t) => {
  const { prime } = (await small).parameters;
  let generator = 3n;
  while (jacobiSymbol(generator, prime) !== -1) generator++;
  const result = await checkDhParameters({ prime, generator });
  t.is(statusOf(result)['generator-order'], 'warn');
});

const failures: Array<[string, DhCheckName, RegExp]> = [
  ['not-prime.dh.pem', 'prime', /p is not prime/],
  ['not-safe.dh.pem', 'safe-prime', /not a safe prime/],
  ['g-out-of-range.dh.pem', 'generator-range', /g = p-1 is out of range/],
  ['small.dh.pem', 'size', /512 bits/],
];

for (const [name, check, detail] of failures) {
  test(`${name} fails its ${check} check`, async (t) => {
    const result = await checkDhParameters(await fixture(name));
    t.false(result.ok);
    const failed = firstFailedCheck(result);
    t.is(failed?.name, check);
    t.regex(failed?.detail ?? '', detail);
  });
}

test('g = 1 and g ≥ p are out of range', async (t) => {
  const { prime } = (await small).parameters;
  for (const generator of [1n, prime, prime + 5n]) {
    const result = await checkDhParameters({ prime, generator });
    t.is(statusOf(result)['generator-range'], 'fail', `g = ${generator}`);
  }
});

test('X9.42 parameters from openssl pass their subgroup checks; 1024 bits is a warning', async (t) => {
  for (const [name, size] of [
    ['dsa-style.x942.pem', 'warn'],
    ['dhx.x942.pem', 'pass'],
  ]) {
    const result = await checkDhParameters(await fixture(name as string));
    t.true(result.ok, name);
    t.like(statusOf(result), { size, 'subgroup-order': 'pass' });
    t.false('safe-prime' in statusOf(result));
  }
});

test('X9.42 parameters whose q does not divide p-1 fail', async (t) => {
  const parameters = await fixture('dhx.x942.pem');
  const wrongOrder = { ...parameters, subgroupOrder: 1_000_003n };
  const result = await checkDhParameters(wrongOrder);
  t.is(firstFailedCheck(result)?.name, 'subgroup-order');
  t.regex(firstFailedCheck(result)?.detail ?? '', /does not divide/);
});

test('a group above 10000 bits fails on size without a primality test', async (t) => {
  const result = await checkDhParameters({ prime: (1n << 12_000n) + 1n, generator: 2n });
  t.deepEqual(
    result.checks.map((check) => check.name),
    ['size'],
  );
  t.false(result.ok);
});
