import test from 'ava';
import { PeerError } from '../../../../src/errors.js';
import { ServerEventLog, stampEvent, type ServerEvent } from '../../../../src/tls/server/events.js';

const at = new Date('2026-03-01T12:00:00.000Z');
const connection = (id: number): ServerEvent =>
  stampEvent(
    { type: 'connection', connection: id, remoteAddress: '127.0.0.1', remotePort: 4000 + id },
    2,
    () => at,
  );

test('stamped events start with type, time and worker (the order of a JSON line)', (t) => {
  const event = connection(1);
  t.deepEqual(Object.keys(event).slice(0, 3), ['type', 'time', 'worker']);
  t.is(event.time, '2026-03-01T12:00:00.000Z');
  t.is(event.worker, 2);
});

test('events are emitted by type and as "event", and kept', (t) => {
  const log = new ServerEventLog();
  const seen: string[] = [];
  log.on('event', (event: ServerEvent) => seen.push(`event:${event.type}`));
  log.on('connection', () => seen.push('connection'));
  log.record(connection(1));
  t.deepEqual(seen, ['event:connection', 'connection']);
  t.is(log.history('connection').length, 1);
  t.is(log.history('close').length, 0);
});

test('waitFor finds an event already seen, or one still to come, or times out', async (t) => {
  const log = new ServerEventLog();
  log.record(connection(1));
  t.is((await log.waitFor('connection')).connection, 1);
  const later = log.waitFor('connection', { where: (event) => event.connection === 2 });
  log.record(connection(2));
  t.is((await later).remotePort, 4002);
  await t.throwsAsync(log.waitFor('secure', { timeoutMs: 20 }), {
    instanceOf: PeerError,
    message: 'no secure event within 20 ms',
  });
  t.is(log.listenerCount('secure'), 0, 'a timed-out wait leaves no listener behind');
});
