import { encodePem } from '../../io/pem.js';
import type { TreeNode } from '../../render/text-tree.js';
import { bitLengthOf, hexOfBigint } from '../bigint.js';
import {
  decodeDhParametersDer,
  DH_PARAMETERS_PEM_LABEL,
  X942_DH_PARAMETERS_PEM_LABEL,
  type DhParametersFormat,
} from '../dh/dh-params.js';
import { identifyDhGroup, type KnownDhGroup } from '../dh/known-groups.js';
import type { DescribeOptions } from './describe-options.js';

/** Finite-field Diffie-Hellman parameters (PKCS#3 or X9.42) as JSON. */
export interface DhParametersDescription {
  kind: 'dh-parameters';
  format: DhParametersFormat;
  bits: number;
  /** Decimal (2, 5, or a big number for X9.42 groups). */
  generator: string;
  /** Upper-case hex, as `openssl asn1parse` prints it. */
  prime: string;
  /** X9.42 only: the size of q, the order of the subgroup g generates. */
  subgroupOrderBits: number | null;
  /** PKCS#3's optional privateValueLength, in bits. */
  privateValueLength: number | null;
  /** The published group these parameters are, if any (RFC 7919 ffdhe2048, RFC 3526 modp14…). */
  knownGroup: KnownDhGroup | null;
  pem?: string;
}

export interface DescribeDhOptions extends DescribeOptions {
  /** From the PEM label (`DH PARAMETERS` → pkcs3, `X9.42 DH PARAMETERS` → x942); guessed for DER. */
  format?: DhParametersFormat;
}

/**
 * Describes DH parameters without judging them: primality tests take seconds, so they are left to
 * `tlskit dhparam --check` (checkDhParameters), which the tree's last line points to.
 */
export function describeDhParameters(
  der: Uint8Array,
  options: DescribeDhOptions,
): DhParametersDescription {
  const { parameters, format } = decodeDhParametersDer(der, options.format, options.source);
  const description: DhParametersDescription = {
    kind: 'dh-parameters',
    format,
    bits: bitLengthOf(parameters.prime),
    generator: parameters.generator.toString(),
    prime: hexOfBigint(parameters.prime),
    subgroupOrderBits:
      parameters.subgroupOrder === undefined ? null : bitLengthOf(parameters.subgroupOrder),
    privateValueLength: parameters.privateValueLength ?? null,
    knownGroup: identifyDhGroup(parameters) ?? null,
  };
  if (options.includePem) {
    const label = format === 'x942' ? X942_DH_PARAMETERS_PEM_LABEL : DH_PARAMETERS_PEM_LABEL;
    description.pem = encodePem(label, der);
  }
  return description;
}

/** Hex digits of p shown at each end in the tree; the JSON has all of them. */
const PRIME_DIGITS_SHOWN = 16;

export function dhParametersTree(dh: DhParametersDescription, heading: string): TreeNode {
  const group = dh.knownGroup;
  const generator =
    dh.generator.length > 20 ? `a ${bitLengthOf(BigInt(dh.generator))}-bit number` : dh.generator;
  return {
    label: heading,
    children: [
      {
        label: 'Format',
        value: dh.format === 'pkcs3' ? 'PKCS#3 (DH PARAMETERS)' : 'X9.42 (X9.42 DH PARAMETERS)',
      },
      {
        label: 'Size',
        value: `${dh.bits} bits`,
        tone: dh.bits < 2048 ? (dh.bits < 1024 ? 'bad' : 'warning') : 'good',
      },
      { label: 'Generator', value: generator },
      group
        ? { label: 'Group', value: `${group.name} (${group.standard})`, tone: 'good' }
        : { label: 'Group', value: 'not a published group', tone: 'muted' },
      ...(dh.subgroupOrderBits === null
        ? []
        : [{ label: 'Subgroup order q', value: `${dh.subgroupOrderBits} bits` }]),
      ...(dh.privateValueLength === null
        ? []
        : [{ label: 'Private value length', value: `${dh.privateValueLength} bits` }]),
      { label: 'Prime', value: abbreviated(dh.prime) },
      ...(group
        ? []
        : [
            {
              label: 'Check',
              value: 'run `tlskit dhparam --check FILE` to test the primes',
              tone: 'muted' as const,
            },
          ]),
    ],
  };
}

function abbreviated(hex: string): string {
  if (hex.length <= 2 * PRIME_DIGITS_SHOWN) return hex;
  return `${hex.slice(0, PRIME_DIGITS_SHOWN)}…${hex.slice(-PRIME_DIGITS_SHOWN)}`;
}
