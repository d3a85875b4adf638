import { generatePrime } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { InternalError, InterruptedError, RefusedError, UsageError } from '../../errors.js';
import { bitLengthOf } from '../bigint.js';
import { dhParametersPem, encodeDhParameters, type DhParameters } from './dh-params.js';
import { ffdheGroup, type FfdheGroup } from './ffdhe-groups.js';

/** Below this a new group needs allowWeak: Mozilla's intermediate profile asks for 2048 bits. */
export const MIN_DH_BITS = 2048;
/** OpenSSL's DH_MIN_MODULUS_BITS: smaller groups are refused even with allowWeak. */
export const MIN_WEAK_DH_BITS = 512;
/** OpenSSL's OPENSSL_DH_MAX_MODULUS_BITS: it will not use a larger group. */
export const MAX_DH_BITS = 10_000;

/** Reported while the prime search runs (which it does not report on itself). */
export interface DhProgress {
  phase: 'searching' | 'done';
  bits: number;
  elapsedMs: number;
}

/** Finds a `bits`-bit safe prime p with p mod add = rem. */
export type SafePrimeSearch = (bits: number, add: bigint, rem: bigint) => Promise<bigint>;

export interface GenerateDhOptions {
  bits: number;
  /** Permit groups below MIN_DH_BITS (down to MIN_WEAK_DH_BITS), for test material. */
  allowWeak?: boolean;
  /** Called at the start, every progressIntervalMs while searching, and at the end. */
  onProgress?: (progress: DhProgress) => void;
  progressIntervalMs?: number;
  /** Stops waiting (InterruptedError); the search itself finishes on its thread and is dropped. */
  signal?: AbortSignal;
  /** Default: Node's generatePrime, which runs OpenSSL's search on libuv's thread pool. */
  findSafePrime?: SafePrimeSearch;
}

/** DH parameters ready to write: the numbers and their PKCS#3 encodings. */
export interface DhParametersOutput {
  parameters: DhParameters;
  bits: number;
  der: Buffer;
  pem: string;
}

export interface GeneratedDhParameters extends DhParametersOutput {
  elapsedMs: number;
}

/**
 * A fresh group as `openssl dhparam` makes one (OpenSSL's dh_builtin_genparams): a safe prime
 * p = 2q + 1 with p ≡ 23 (mod 24), and g = 2. That congruence makes p ≡ 7 (mod 8), so 2 is a
 * quadratic residue and generates the subgroup of prime order q, as in the RFC 7919 groups: a
 * generator of the whole group would leak each private exponent's lowest bit.
 */
export async function generateDhParameters(
  options: GenerateDhOptions,
): Promise<GeneratedDhParameters> {
  const { bits } = options;
  checkDhSize(bits, options.allowWeak ?? false);
  throwIfAborted(options.signal);
  const search = options.findSafePrime ?? nodeSafePrimeSearch;
  const started = performance.now();
  const report = (phase: DhProgress['phase']) =>
    options.onProgress?.({ phase, bits, elapsedMs: performance.now() - started });
  report('searching');
  const ticker = options.onProgress
    ? setInterval(() => report('searching'), options.progressIntervalMs ?? 100)
    : undefined;
  let prime: bigint;
  try {
    prime = await abortable(search(bits, GENERATOR_2_MODULUS, GENERATOR_2_RESIDUE), options.signal);
  } finally {
    clearInterval(ticker);
  }
  if (bitLengthOf(prime) !== bits || prime % GENERATOR_2_MODULUS !== GENERATOR_2_RESIDUE) {
    throw new InternalError(
      `the prime search returned a number that is not a ${bits}-bit p ≡ 23 (mod 24)`,
    );
  }
  report('done');
  return { ...outputOf({ prime, generator: 2n }), elapsedMs: performance.now() - started };
}

/** An RFC 7919 group, ready to write (no search: the primes are data). */
export function ffdheParameters(name: string): DhParametersOutput & { group: FfdheGroup } {
  const group = ffdheGroup(name);
  return { ...outputOf(group.parameters), group };
}

/** Refuses sizes OpenSSL cannot use, and weak ones without allowWeak. */
export function checkDhSize(bits: number, allowWeak: boolean): void {
  if (!Number.isInteger(bits) || bits < MIN_WEAK_DH_BITS || bits > MAX_DH_BITS) {
    throw new UsageError(`a ${bits}-bit DH group is not possible`, {
      hint: `OpenSSL uses ${MIN_WEAK_DH_BITS} to ${MAX_DH_BITS} bits; use 2048, 3072 or 4096`,
    });
  }
  if (bits < MIN_DH_BITS && !allowWeak) {
    throw new RefusedError(`a ${bits}-bit DH group is below ${MIN_DH_BITS} bits (Logjam-weak)`, {
      hint: 'use 2048 or more, or --allow-weak for deliberately weak test material',
    });
  }
}

/** OpenSSL's condition for g = 2 (dh_gen.c): p mod 24 = 23. */
const GENERATOR_2_MODULUS = 24n;
const GENERATOR_2_RESIDUE = 23n;

const nodeSafePrimeSearch: SafePrimeSearch = (bits, add, rem) =>
  new Promise((resolve, reject) => {
    generatePrime(bits, { safe: true, add, rem, bigint: true }, (error, prime) => {
      if (error)
        reject(new InternalError(`safe-prime search failed: ${error.message}`, { cause: error }));
      else resolve(prime);
    });
  });

function outputOf(parameters: DhParameters): DhParametersOutput {
  return {
    parameters,
    bits: bitLengthOf(parameters.prime),
    der: encodeDhParameters(parameters),
    pem: dhParametersPem(parameters),
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function cancelled(): InterruptedError {
  return new InterruptedError('DH parameter generation was cancelled');
}
