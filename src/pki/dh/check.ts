import { checkPrime } from 'node:crypto';
import { InternalError } from '../../errors.js';
import { bitLengthOf, jacobiSymbol, modPow } from '../bigint.js';
import type { DhParameters } from './dh-params.js';
import { MAX_DH_BITS, MIN_DH_BITS } from './generate.js';
import { identifyDhGroup, type KnownDhGroup } from './known-groups.js';

export type DhCheckName =
  'size' | 'prime' | 'safe-prime' | 'subgroup-order' | 'generator-range' | 'generator-order';

/** `warn`: usable, but worse than it should be. `fail`: do not use these parameters. */
export type DhCheckStatus = 'pass' | 'warn' | 'fail';

export interface DhCheck {
  name: DhCheckName;
  status: DhCheckStatus;
  detail: string;
}

export interface DhCheckResult {
  bits: number;
  /** Decimal, as openssl prints small generators. */
  generator: string;
  knownGroup: KnownDhGroup | null;
  /** No check failed (warnings allowed). */
  ok: boolean;
  checks: DhCheck[];
}

/** Node's tls refuses DH groups smaller than this (ERR_SSL_DH_KEY_TOO_SMALL). */
const NODE_MIN_DH_BITS = 1024;

/**
 * What `openssl dhparam -check` checks, and more: size against Node's and Mozilla's limits, p
 * prime, p safe ((p-1)/2 prime) or, for X9.42 parameters, q prime and dividing p-1 with g^q = 1,
 * 1 < g < p-1, and which subgroup g generates. Published groups (RFC 7919, RFC 3526) are named
 * and, like OpenSSL, not re-tested for primality (an 8192-bit test takes about 15 s).
 * Primality tests run on libuv's thread pool, p and q at once.
 */
export async function checkDhParameters(parameters: DhParameters): Promise<DhCheckResult> {
  const { prime, generator } = parameters;
  const bits = bitLengthOf(prime);
  const knownGroup = identifyDhGroup(parameters) ?? null;
  const checks: DhCheck[] = [sizeCheck(bits)];
  if (bits <= MAX_DH_BITS) {
    const groupChecks = knownGroup
      ? await publishedPrimeChecks(knownGroup, parameters)
      : await primeChecks(parameters);
    const rangeCheck = generatorRangeCheck(parameters);
    checks.push(...groupChecks, rangeCheck);
    // The order argument needs a safe prime and a g in range.
    const safeGroup = parameters.subgroupOrder === undefined;
    if (safeGroup && [...groupChecks, rangeCheck].every((check) => check.status === 'pass')) {
      checks.push(generatorOrderCheck(parameters));
    }
  }
  return {
    bits,
    generator: generator.toString(),
    knownGroup,
    ok: checks.every((check) => check.status !== 'fail'),
    checks,
  };
}

/** The first failed check, for a one-line verdict. */
export function firstFailedCheck(result: DhCheckResult): DhCheck | undefined {
  return result.checks.find((check) => check.status === 'fail');
}

function sizeCheck(bits: number): DhCheck {
  const check = (status: DhCheckStatus, detail: string): DhCheck => ({
    name: 'size',
    status,
    detail,
  });
  if (bits > MAX_DH_BITS) {
    return check('fail', `p has ${bits} bits; OpenSSL refuses DH groups above ${MAX_DH_BITS} bits`);
  }
  if (bits < NODE_MIN_DH_BITS) {
    return check(
      'fail',
      `p has ${bits} bits; Node refuses DH groups below ${NODE_MIN_DH_BITS} bits`,
    );
  }
  if (bits < MIN_DH_BITS) {
    return check('warn', `p has ${bits} bits: weak (Logjam); use ${MIN_DH_BITS} or more`);
  }
  return check('pass', `p has ${bits} bits`);
}

async function publishedPrimeChecks(
  group: KnownDhGroup,
  parameters: DhParameters,
): Promise<DhCheck[]> {
  const where = `${group.name} (${group.standard})`;
  const checks: DhCheck[] = [
    { name: 'prime', status: 'pass', detail: `p is the published prime of ${where}` },
  ];
  if (parameters.subgroupOrder === undefined) {
    checks.push({ name: 'safe-prime', status: 'pass', detail: `${where} is a safe-prime group` });
  } else {
    const { prime, subgroupOrder } = parameters;
    const orderIsPrime =
      subgroupOrder === (prime - 1n) / 2n || (await isProbablePrime(subgroupOrder));
    checks.push(subgroupOrderCheck(parameters, orderIsPrime));
  }
  return checks;
}

async function primeChecks(parameters: DhParameters): Promise<DhCheck[]> {
  const { prime, subgroupOrder } = parameters;
  const other = subgroupOrder ?? (prime - 1n) / 2n;
  const [primeIsPrime, otherIsPrime] = await Promise.all([
    isProbablePrime(prime),
    isProbablePrime(other),
  ]);
  if (!primeIsPrime) return [{ name: 'prime', status: 'fail', detail: 'p is not prime' }];
  const primeCheck: DhCheck = { name: 'prime', status: 'pass', detail: 'p is prime' };
  if (subgroupOrder !== undefined)
    return [primeCheck, subgroupOrderCheck(parameters, otherIsPrime)];
  return [
    primeCheck,
    otherIsPrime
      ? { name: 'safe-prime', status: 'pass', detail: 'p is a safe prime: (p-1)/2 is prime too' }
      : {
          name: 'safe-prime',
          status: 'fail',
          detail: 'p is not a safe prime: (p-1)/2 is not prime, so small subgroups leak key bits',
        },
  ];
}

/** X9.42: q prime, q | p-1, and g^q ≡ 1 (mod p), so g lies in the subgroup of order q. */
function subgroupOrderCheck(parameters: DhParameters, orderIsPrime: boolean): DhCheck {
  const { prime, generator } = parameters;
  const order = parameters.subgroupOrder as bigint;
  const check = (status: DhCheckStatus, detail: string): DhCheck => ({
    name: 'subgroup-order',
    status,
    detail,
  });
  if (!orderIsPrime) return check('fail', 'q is not prime');
  if ((prime - 1n) % order !== 0n) return check('fail', 'q does not divide p-1');
  if (generator <= 1n || generator >= prime || modPow(generator, order, prime) !== 1n) {
    return check('fail', 'g does not generate the subgroup of order q (g^q mod p is not 1)');
  }
  return check('pass', `g generates the subgroup of prime order q (${bitLengthOf(order)} bits)`);
}

/** OpenSSL's DH_check_params: 1 < g < p-1 (1 and p-1 generate groups of order 1 and 2). */
function generatorRangeCheck({ prime, generator }: DhParameters): DhCheck {
  const shown = generatorText(generator, prime);
  if (generator > 1n && generator < prime - 1n) {
    return {
      name: 'generator-range',
      status: 'pass',
      detail: `g = ${shown} is in 2 … p-2`,
    };
  }
  return {
    name: 'generator-range',
    status: 'fail',
    detail: `g = ${shown} is out of range (it must be in 2 … p-2)`,
  };
}

/**
 * In a safe-prime group g has order q or 2q. Euler's criterion: g^q ≡ (g/p), the Legendre
 * symbol, so order q exactly when g is a quadratic residue.
 */
function generatorOrderCheck({ prime, generator }: DhParameters): DhCheck {
  if (jacobiSymbol(generator, prime) === 1) {
    return {
      name: 'generator-order',
      status: 'pass',
      detail: 'g generates the subgroup of prime order q = (p-1)/2',
    };
  }
  return {
    name: 'generator-order',
    status: 'warn',
    detail:
      'g generates the whole group (order 2q): public keys reveal each secret exponent’s lowest bit',
  };
}

function isProbablePrime(candidate: bigint): Promise<boolean> {
  return new Promise((resolve, reject) => {
    checkPrime(candidate, (error, result) => {
      if (error)
        reject(new InternalError(`primality test failed: ${error.message}`, { cause: error }));
      else resolve(result);
    });
  });
}

/** Small generators in full; big ones relative to p, or by their length. */
function generatorText(generator: bigint, prime: bigint): string {
  if (bitLengthOf(generator) <= 64) return generator.toString();
  if (generator === prime - 1n) return 'p-1';
  if (generator >= prime) return 'a number not below p';
  return `a ${bitLengthOf(generator)}-bit number`;
}
