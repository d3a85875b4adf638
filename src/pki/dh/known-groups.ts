import { getDiffieHellman } from 'node:crypto';
import { bigintOfBytes, bitLengthOf } from '../bigint.js';
import type { DhParameters } from './dh-params.js';
import { FFDHE_GROUPS, ffdheGroup } from './ffdhe-groups.js';

/** A published group that some DH parameters turn out to be. */
export interface KnownDhGroup {
  /** `ffdhe2048`, or Node's name for a MODP group (`modp14`). */
  name: string;
  /** Where it is defined: `RFC 7919`, `RFC 3526`, `RFC 2409`. */
  standard: string;
  bits: number;
}

/**
 * Names the group when p and g are exactly a published one: the RFC 7919 groups (TLS's named
 * groups) or the older MODP groups, whose primes come from Node's own getDiffieHellman().
 */
export function identifyDhGroup(parameters: DhParameters): KnownDhGroup | undefined {
  const bits = bitLengthOf(parameters.prime);
  for (const name of FFDHE_GROUPS) {
    const group = ffdheGroup(name);
    if (group.bits === bits && sameGroup(group.parameters, parameters)) {
      return { name, standard: 'RFC 7919', bits };
    }
  }
  for (const [name, standard] of MODP_GROUPS) {
    const modp = getDiffieHellman(name);
    const candidate = {
      prime: bigintOfBytes(modp.getPrime()),
      generator: bigintOfBytes(modp.getGenerator()),
    };
    if (bitLengthOf(candidate.prime) === bits && sameGroup(candidate, parameters)) {
      return { name, standard, bits };
    }
  }
  return undefined;
}

/** Node's names for the MODP groups it has built in, and the RFCs that define them. */
const MODP_GROUPS: ReadonlyArray<readonly [string, string]> = [
  ['modp1', 'RFC 2409'],
  ['modp2', 'RFC 2409'],
  ['modp5', 'RFC 3526'],
  ['modp14', 'RFC 3526'],
  ['modp15', 'RFC 3526'],
  ['modp16', 'RFC 3526'],
  ['modp17', 'RFC 3526'],
  ['modp18', 'RFC 3526'],
];

function sameGroup(a: DhParameters, b: DhParameters): boolean {
  return a.prime === b.prime && a.generator === b.generator;
}
