import test from 'ava';
import { enumerateByRemoval, type Answer } from '../../../../src/probe/scanners/enumerate.js';

/** A simulated server: what it supports, and whose order it follows. */
function server(supported: readonly number[], order: 'server' | 'client') {
  const offers: number[][] = [];
  const ask = async (offer: number[]): Promise<Answer<number>> => {
    offers.push(offer);
    const pick =
      order === 'server'
        ? supported.find((item) => offer.includes(item))
        : offer.find((item) => supported.includes(item));
    return pick === undefined
      ? { kind: 'refused', reason: 'alert handshake_failure' }
      : { kind: 'picked', item: pick };
  };
  return { ask, offers };
}

const CANDIDATES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

test('a server-ordered server: its order, supported + 1 hellos, the order read from the picks', async (t) => {
  const { ask, offers } = server([7, 2, 9], 'server');
  const result = await enumerateByRemoval(CANDIDATES, ask);
  t.deepEqual(result, { found: [7, 2, 9], preference: 'server', complete: true, error: null });
  t.is(offers.length, 3 + 1);
  t.deepEqual(offers[1], [10, 9, 8, 6, 5, 4, 3, 2, 1], 'offers alternate direction');
});

test('a client-ordered server: supported + 2 hellos, the last one settling whose order counts', async (t) => {
  const { ask, offers } = server([7, 2, 9], 'client');
  const result = await enumerateByRemoval(CANDIDATES, ask);
  t.deepEqual(result, { found: [2, 9, 7], preference: 'client', complete: true, error: null });
  t.is(offers.length, 3 + 2);
  t.deepEqual(offers.at(-1), [9, 2], 'the first two picks, the other way round');
});

test('a server order that happens to fit the client order is still told apart', async (t) => {
  const { ask } = server([2, 9, 7], 'server');
  t.deepEqual(await enumerateByRemoval(CANDIDATES, ask), {
    found: [2, 9, 7],
    preference: 'server',
    complete: true,
    error: null,
  });
});

test('one supported item: no preference claimed', async (t) => {
  const { ask } = server([5], 'server');
  t.deepEqual(await enumerateByRemoval(CANDIDATES, ask), {
    found: [5],
    preference: null,
    complete: true,
    error: null,
  });
});

test('nothing supported: one hello, complete', async (t) => {
  const { ask, offers } = server([], 'server');
  t.deepEqual(await enumerateByRemoval(CANDIDATES, ask), {
    found: [],
    preference: null,
    complete: true,
    error: null,
  });
  t.is(offers.length, 1);
});

test('everything supported: no final refusal needed', async (t) => {
  const { ask, offers } = server([3, 1, 2], 'server');
  const result = await enumerateByRemoval([1, 2, 3], ask);
  t.deepEqual(result.found, [3, 1, 2]);
  t.is(offers.length, 3);
});

test('a given first answer saves the first hello', async (t) => {
  const { ask, offers } = server([6, 4], 'server');
  const result = await enumerateByRemoval(CANDIDATES, ask, { first: { kind: 'picked', item: 6 } });
  t.deepEqual(result, { found: [6, 4], preference: 'server', complete: true, error: null });
  t.is(offers.length, 2, 'one more pick, one refusal');
});

test('a failure mid-way stops, incomplete, keeping what was found', async (t) => {
  let calls = 0;
  const result = await enumerateByRemoval(CANDIDATES, async (offer): Promise<Answer<number>> => {
    calls++;
    if (calls === 3) return { kind: 'failed', reason: 'no answer in time' };
    return { kind: 'picked', item: offer[0]! };
  });
  t.deepEqual(result, {
    found: [1, 10],
    preference: null,
    complete: false,
    error: 'no answer in time',
  });
});

test('a pick that was not offered ends the enumeration instead of looping', async (t) => {
  const result = await enumerateByRemoval(CANDIDATES, async () => ({ kind: 'picked', item: 99 }), {
    nameOf: (item) => `#${item}`,
  });
  t.deepEqual(result, {
    found: [],
    preference: null,
    complete: false,
    error: 'the server picked #99, which was not offered',
  });
});

test('a server that picks the same item again later is caught', async (t) => {
  const result = await enumerateByRemoval(CANDIDATES, async () => ({ kind: 'picked', item: 1 }), {
    detectPreference: false,
  });
  t.false(result.complete);
  t.deepEqual(result.found, [1]);
});
