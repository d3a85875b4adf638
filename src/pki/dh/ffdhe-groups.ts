import { UsageError } from '../../errors.js';
import type { DhParameters } from './dh-params.js';
import { FFDHE_PRIME_HEX } from './ffdhe-primes.js';

/** The RFC 7919 groups, smallest first. */
export const FFDHE_GROUPS = [
  'ffdhe2048',
  'ffdhe3072',
  'ffdhe4096',
  'ffdhe6144',
  'ffdhe8192',
] as const;
export type FfdheGroupName = (typeof FFDHE_GROUPS)[number];

/** One RFC 7919 group with the facts its appendix A gives. */
export interface FfdheGroup {
  name: FfdheGroupName;
  bits: number;
  parameters: DhParameters;
  /** The RFC's estimate of the group's symmetric-equivalent strength. */
  securityBits: number;
  /** RFC 7919 §5.2: the shortest private exponent a peer may use with this group. */
  shortExponentBits: number;
}

/** Generator 2 in every group: it generates the subgroup of prime order q = (p-1)/2. */
export const FFDHE_GENERATOR = 2n;

/** RFC 7919 appendix A.1–A.5: estimated strength and the short-exponent length, per group. */
const FFDHE_FACTS: Record<
  FfdheGroupName,
  { bits: number; securityBits: number; exponent: number }
> = {
  ffdhe2048: { bits: 2048, securityBits: 103, exponent: 225 },
  ffdhe3072: { bits: 3072, securityBits: 125, exponent: 275 },
  ffdhe4096: { bits: 4096, securityBits: 150, exponent: 325 },
  ffdhe6144: { bits: 6144, securityBits: 175, exponent: 375 },
  ffdhe8192: { bits: 8192, securityBits: 192, exponent: 400 },
};

export function isFfdheGroupName(name: string): name is FfdheGroupName {
  return (FFDHE_GROUPS as readonly string[]).includes(name);
}

export function ffdheGroup(name: string): FfdheGroup {
  if (!isFfdheGroupName(name)) {
    throw new UsageError(`unknown DH group "${name}"`, {
      hint: `choose one of ${FFDHE_GROUPS.join(', ')}`,
    });
  }
  const facts = FFDHE_FACTS[name];
  return {
    name,
    bits: facts.bits,
    parameters: { prime: BigInt(`0x${FFDHE_PRIME_HEX[name]}`), generator: FFDHE_GENERATOR },
    securityBits: facts.securityBits,
    shortExponentBits: facts.exponent,
  };
}
