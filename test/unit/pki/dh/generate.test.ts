import test from 'ava';
import {
  InternalError,
  InterruptedError,
  RefusedError,
  UsageError,
} from '../../../../src/errors.js';
import { bitLengthOf } from '../../../../src/pki/bigint.js';
import { decodeDhParameters } from '../../../../src/pki/dh/dh-params.js';
import {
  ffdheParameters,
  generateDhParameters,
  type DhProgress,
} from '../../../../src/pki/dh/generate.js';

// 512-bit groups: the point here is the shape, not the size (2048 bits can take a minute).

test('a fresh group is a safe prime p ≡ 23 (mod 24) with g = 2, as openssl makes them', async (t) => {
  const made = await generateDhParameters({ bits: 512, allowWeak: true });
  t.is(made.bits, 512);
  t.is(bitLengthOf(made.parameters.prime), 512);
  t.is(made.parameters.prime % 24n, 23n);
  t.is(made.parameters.generator, 2n);
  t.true(made.elapsedMs >= 0);
  t.deepEqual(decodeDhParameters(Buffer.from(made.pem), 'x').parameters, made.parameters);
  t.deepEqual(decodeDhParameters(made.der, 'x').parameters, made.parameters);
});

test('two fresh groups differ', async (t) => {
  const [first, second] = await Promise.all([
    generateDhParameters({ bits: 512, allowWeak: true }),
    generateDhParameters({ bits: 512, allowWeak: true }),
  ]);
  t.not(first.parameters.prime, second.parameters.prime);
});

test('reports progress while the search runs, then done', async (t) => {
  const events: DhProgress[] = [];
  const prime = conditionedNumber(512);
  // The search ends only once three progress reports have arrived, however loaded the machine.
  let finishSearch: (prime: bigint) => void = () => {};
  await generateDhParameters({
    bits: 512,
    allowWeak: true,
    progressIntervalMs: 5,
    findSafePrime: () => new Promise((resolve) => (finishSearch = resolve)),
    onProgress: (progress) => {
      events.push(progress);
      if (events.length === 3) finishSearch(prime);
    },
  });
  t.is(events[0]?.phase, 'searching');
  t.true(events.filter((event) => event.phase === 'searching').length >= 3);
  t.is(events.at(-1)?.phase, 'done');
  t.true(events.every((event) => event.bits === 512));
  const times = events.map((event) => event.elapsedMs);
  t.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
    'elapsed time only grows',
  );
});

test('an abort signal stops the wait with InterruptedError', async (t) => {
  const controller = new AbortController();
  const never = () => new Promise<bigint>(() => {});
  const pending = generateDhParameters({
    bits: 2048,
    findSafePrime: never,
    signal: controller.signal,
  });
  controller.abort();
  await t.throwsAsync(pending, { instanceOf: InterruptedError });
  const aborted = AbortSignal.abort();
  await t.throwsAsync(generateDhParameters({ bits: 2048, signal: aborted }), {
    instanceOf: InterruptedError,
  });
});

test('sizes below 2048 bits need allowWeak; impossible sizes are usage errors', async (t) => {
  await t.throwsAsync(generateDhParameters({ bits: 1024 }), {
    instanceOf: RefusedError,
    message: /below 2048/,
  });
  for (const bits of [256, 10_001, 2048.5]) {
    await t.throwsAsync(generateDhParameters({ bits, allowWeak: true }), {
      instanceOf: UsageError,
    });
  }
});

test('a search that breaks the condition is an internal error, not a weak group', async (t) => {
  const wrong = conditionedNumber(512) + 12n; // ≡ 11 (mod 24): 2 would generate the whole group
  await t.throwsAsync(
    generateDhParameters({ bits: 512, allowWeak: true, findSafePrime: async () => wrong }),
    { instanceOf: InternalError },
  );
});

test('ffdhe parameters come ready to write, with their group facts', (t) => {
  const made = ffdheParameters('ffdhe3072');
  t.is(made.bits, 3072);
  t.is(made.group.name, 'ffdhe3072');
  t.regex(made.pem, /^-----BEGIN DH PARAMETERS-----\n/);
  t.deepEqual(decodeDhParameters(made.der, 'x').parameters, made.group.parameters);
});

/** A `bits`-bit number ≡ 23 (mod 24) (not necessarily prime: for injected searches). */
function conditionedNumber(bits: number): bigint {
  const top = 1n << BigInt(bits - 1);
  return top + ((23n - (top % 24n) + 24n) % 24n);
}
