import { InputError, messageOf } from '../../errors.js';
import { decodePem, encodePem, looksLikePem } from '../../io/pem.js';
import { readInputFile } from '../../io/read-input.js';
import { DerTag, readChildren, readElement, type DerElement } from '../describe/der.js';
import { bigintOfBytes, bitLengthOf } from '../bigint.js';
import { derInteger, derSequence } from '../der-writer.js';

/** Finite-field Diffie-Hellman domain parameters: the group Z*p and its generator. */
export interface DhParameters {
  prime: bigint;
  generator: bigint;
  /** X9.42 files only (RFC 3279 DomainParameters): q, the order of the subgroup g generates. */
  subgroupOrder?: bigint;
  /** PKCS#3 files only, when present: the length of private exponents to use, in bits. */
  privateValueLength?: number;
}

/**
 * `pkcs3`: PKCS#3 DHParameter, `-----BEGIN DH PARAMETERS-----` (what `openssl dhparam` writes
 * and Node's `dhparam` option reads). `x942`: X9.42 DomainParameters with q,
 * `-----BEGIN X9.42 DH PARAMETERS-----` (what `openssl genpkey -algorithm DHX` writes).
 */
export type DhParametersFormat = 'pkcs3' | 'x942';

export interface DecodedDhParameters {
  parameters: DhParameters;
  format: DhParametersFormat;
  encoding: 'pem' | 'der';
}

export const DH_PARAMETERS_PEM_LABEL = 'DH PARAMETERS';
export const X942_DH_PARAMETERS_PEM_LABEL = 'X9.42 DH PARAMETERS';

/** PKCS#3 §9: DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER } (no privateValueLength). */
export function encodeDhParameters(parameters: DhParameters): Buffer {
  return derSequence([derInteger(parameters.prime), derInteger(parameters.generator)]);
}

export function dhParametersPem(parameters: DhParameters): string {
  return encodePem(DH_PARAMETERS_PEM_LABEL, encodeDhParameters(parameters));
}

/** Reads a DH parameters file (PEM or DER, PKCS#3 or X9.42). */
export async function readDhParametersFile(path: string): Promise<DecodedDhParameters> {
  return decodeDhParameters(await readInputFile(path), path);
}

/**
 * Decodes DH parameters from PEM (the first DH PARAMETERS or X9.42 DH PARAMETERS block; text
 * around it is ignored, as openssl does) or from DER. Anything else is an InputError naming
 * `source`. Only the form is checked here (DER, positive integers); whether the numbers make a
 * good group is checkDhParameters' business.
 */
export function decodeDhParameters(data: Uint8Array, source: string): DecodedDhParameters {
  if (!looksLikePem(data)) {
    return { ...decodeDhParametersDer(data, undefined, source), encoding: 'der' };
  }
  const blocks = decodePem(Buffer.from(data).toString('latin1'), source);
  const block = blocks.find((candidate) => PEM_FORMATS.has(candidate.label));
  if (!block) {
    const labels = blocks.map((candidate) => candidate.label).join(', ');
    throw new InputError(
      `${source} holds ${labels || 'no PEM block'}, not ${DH_PARAMETERS_PEM_LABEL}`,
      { hint: `DH parameters start with -----BEGIN ${DH_PARAMETERS_PEM_LABEL}-----` },
    );
  }
  return {
    ...decodeDhParametersDer(block.der, PEM_FORMATS.get(block.label), source),
    encoding: 'pem',
  };
}

/**
 * PKCS#3: SEQUENCE { p, g, privateValueLength OPTIONAL }. X9.42 (RFC 3279 §2.3.3):
 * SEQUENCE { p, g, q, j OPTIONAL, validationParms SEQUENCE OPTIONAL }. Without a `format` (DER
 * read without its PEM label) it is PKCS#3 unless a third integer is too large to be a length.
 */
export function decodeDhParametersDer(
  der: Uint8Array,
  labelled: DhParametersFormat | undefined,
  source: string,
): { parameters: DhParameters; format: DhParametersFormat } {
  let fields: DerElement[];
  try {
    const outer = readElement(der);
    if (outer.tag !== DerTag.sequence) throw new RangeError('not a DER SEQUENCE');
    if (outer.end !== der.length) throw new RangeError('trailing bytes after the SEQUENCE');
    fields = readChildren(outer.content);
  } catch (error) {
    throw notDhParameters(source, messageOf(error), error);
  }
  const integers = fields.filter((field) => field.tag === DerTag.integer);
  const numbers = integers.map((field, index) => integerValue(field, source, INTEGER_NAMES[index]));
  const [prime, generator, third] = numbers;
  if (prime === undefined || generator === undefined) {
    throw notDhParameters(source, 'it does not hold p and g');
  }
  const format =
    labelled ?? (third !== undefined && bitLengthOf(third) > 32 ? 'x942' : ('pkcs3' as const));
  checkShape(fields, integers.length, format, source);
  const parameters: DhParameters = { prime, generator };
  if (format === 'x942') parameters.subgroupOrder = third;
  else if (third !== undefined) parameters.privateValueLength = lengthValue(third, source);
  return { parameters, format };
}

const PEM_FORMATS = new Map<string, DhParametersFormat>([
  [DH_PARAMETERS_PEM_LABEL, 'pkcs3'],
  [X942_DH_PARAMETERS_PEM_LABEL, 'x942'],
]);

const INTEGER_NAMES = ['p', 'g', 'the third number', 'j'];

/** A private-value length is a bit count: anything beyond 2^32 is not one. */
function lengthValue(value: bigint, source: string): number {
  if (bitLengthOf(value) > 32) {
    throw notDhParameters(source, 'its private-value length is not a bit count');
  }
  return Number(value);
}

function checkShape(
  fields: DerElement[],
  integerCount: number,
  format: DhParametersFormat,
  source: string,
): void {
  const leadingIntegers = fields.findIndex((field) => field.tag !== DerTag.integer);
  const integersFirst = leadingIntegers === -1 || leadingIntegers === integerCount;
  if (format === 'pkcs3') {
    if (fields.length > 3 || !integersFirst) {
      throw notDhParameters(source, 'PKCS#3 DHParameter holds p, g and an optional length only');
    }
    return;
  }
  const validation = fields.slice(integerCount);
  const validShape =
    integersFirst &&
    integerCount >= 3 &&
    integerCount <= 4 &&
    validation.length <= 1 &&
    validation.every((field) => field.tag === DerTag.sequence);
  if (!validShape) {
    throw notDhParameters(source, 'X9.42 DomainParameters holds p, g, q, [j], [validationParms]');
  }
}

/** X.690 §8.3: a DER INTEGER is minimal; DH numbers are positive. */
function integerValue(field: DerElement, source: string, name = 'a number'): bigint {
  const { content } = field;
  const first = content[0];
  const second = content[1];
  if (first === undefined) throw notDhParameters(source, `${name} is an empty INTEGER`);
  if (first & 0x80) throw new InputError(`${source}: ${name} is negative`);
  if (first === 0 && second !== undefined && !(second & 0x80)) {
    throw notDhParameters(source, `${name} is not minimally encoded (not DER)`);
  }
  return bigintOfBytes(content);
}

function notDhParameters(source: string, reason: string, cause?: unknown): InputError {
  return new InputError(`${source}: not valid DH parameters (${reason})`, {
    hint: 'expected PKCS#3 DHParameter, as `openssl dhparam` and `tlskit dhparam` write',
    cause,
  });
}
