import test from 'ava';
import { MemorySessionStore } from '../../../../src/tls/server/session-store.js';

test('sessions are found by ID until they expire', async (t) => {
  let now = 1_000_000;
  const store = new MemorySessionStore(60, () => now);
  const id = Buffer.from('0102', 'hex');
  await store.save(id, Buffer.from('session'));
  t.deepEqual(await store.load(Buffer.from('0102', 'hex')), Buffer.from('session'));
  t.is(await store.load(Buffer.from('0103', 'hex')), undefined);
  now += 59_999;
  t.truthy(await store.load(id));
  now += 1;
  t.is(await store.load(id), undefined, 'expired at exactly the timeout');
  t.is(store.size, 0, 'an expired session is forgotten');
});

test('saving an ID again replaces the session and renews it', async (t) => {
  let now = 0;
  const store = new MemorySessionStore(10, () => now);
  const id = Buffer.from([7]);
  await store.save(id, Buffer.from('old'));
  now = 9_000;
  await store.save(id, Buffer.from('new'));
  now = 15_000;
  t.deepEqual(await store.load(id), Buffer.from('new'));
  t.is(store.size, 1);
});
