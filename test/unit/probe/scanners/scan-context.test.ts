import test, { type ExecutionContext } from 'ava';
import net from 'node:net';
import { createScanContext, createSemaphore } from '../../../../src/probe/scanners/scan-context.js';
import { connectTcp } from '../../../../src/probe/transport/connector.js';
import { deterministicEntropy } from '../support/deterministic-entropy.js';

const ALERT = Buffer.from('15030300020228', 'hex');

/** Counts connections; `answer` decides what each one gets once the hello arrives. */
async function server(
  t: ExecutionContext,
  answer: (socket: net.Socket, halfClosed: boolean) => void,
) {
  const stats = { connections: 0 };
  const listener = net.createServer({ allowHalfOpen: true }, (socket) => {
    stats.connections++;
    socket.on('error', () => {});
    let halfClosed = false;
    socket.on('end', () => {
      halfClosed = true;
    });
    // Give a half-close time to arrive with the hello before deciding.
    socket.once('data', () => setTimeout(() => answer(socket, halfClosed), 30));
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  t.teardown(() => listener.close());
  return { port: (listener.address() as net.AddressInfo).port, stats };
}

function context(port: number) {
  return createScanContext({
    endpoint: { host: '127.0.0.1', port, starttls: null, starttlsHostname: 'localhost' },
    serverName: null,
    timeoutMs: 2000,
    entropy: deterministicEntropy(),
    connector: connectTcp,
    connections: 2,
    maxAnswerBytes: 1024,
  });
}

// Any bytes do: these servers never parse them.
const HELLO = Buffer.from('160301000100', 'hex');

test('a server that drops half-closed connections gets full ones after the first retry', async (t) => {
  const { port, stats } = await server(t, (socket, halfClosed) => {
    if (halfClosed) socket.destroy();
    else socket.end(ALERT);
  });
  const scan = context(port);
  const outcomes = [];
  for (let index = 0; index < 4; index++)
    outcomes.push((await scan.send(HELLO, 'server-hello')).kind);
  t.deepEqual(outcomes, ['alert', 'alert', 'alert', 'alert']);
  t.is(stats.connections, 5, 'one retry, then no more half-closes');
  t.is(scan.clientHellos, 5);
});

test('a server whose answer is silence is believed after one retry', async (t) => {
  const { port, stats } = await server(t, (socket) => socket.destroy());
  const scan = context(port);
  for (let index = 0; index < 4; index++)
    t.is((await scan.send(HELLO, 'server-hello')).kind, 'closed');
  t.is(stats.connections, 5);
});

test('a server that answers half-closed connections costs no retry', async (t) => {
  const { port, stats } = await server(t, (socket) => socket.end(ALERT));
  const scan = context(port);
  for (let index = 0; index < 4; index++)
    t.is((await scan.send(HELLO, 'server-hello')).kind, 'alert');
  t.is(stats.connections, 4);
});

test('the semaphore never runs more than its limit', async (t) => {
  const slots = createSemaphore(2);
  let running = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 10 }, () =>
      slots.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      }),
    ),
  );
  t.is(peak, 2);
});
