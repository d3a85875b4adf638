/**
 * `tlskit serve --workers 2`: two processes share the port, the ticket keys and (with
 * --session-store) one session store, so resumption works whichever worker takes the
 * connection; Ctrl-C stops them all and frees the port.
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/index.js';
import { sClient, startServe, type JsonLine, type ServeProcess } from '../interop/serve-helpers.js';

async function serveWorkers(
  t: { teardown(fn: () => unknown): void },
  args: string[] = [],
): Promise<ServeProcess> {
  const serve = await startServe(['--port', '0', '--self-signed', '--workers', '2', ...args]);
  t.teardown(() => serve.stop('SIGKILL'));
  return serve;
}

function secureLines(serve: ServeProcess): JsonLine[] {
  return serve.lines().filter((line) => line.type === 'secure');
}

/**
 * The kernel hands each connection to whichever worker accepts first, so a few connections may
 * all land on one: repeat until both workers have served some (at most `rounds` times).
 */
async function untilBothWorkers(
  serve: ServeProcess,
  connect: () => Promise<void>,
  rounds = 8,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await connect();
    if (new Set(secureLines(serve).map((line) => line.worker)).size === 2) return;
  }
}

test.serial('TLS 1.2 tickets: s_client -reconnect is reused on both workers', async (t) => {
  const serve = await serveWorkers(t);
  t.is(serve.listening.workers, 2);
  let rounds = 0;
  await untilBothWorkers(serve, async () => {
    const result = await sClient(serve.listening.port, ['-tls1_2', '-reconnect']);
    t.is(result.stdout.match(/^Reused, TLSv1\.2/gm)?.length, 5);
    rounds += 1;
    await serve.waitForLine(() => secureLines(serve).length >= 6 * rounds);
  });
  const resumedOn = new Set(
    secureLines(serve)
      .filter((line) => line.resumed)
      .map((line) => line.worker),
  );
  t.deepEqual([...resumedOn].sort(), [1, 2], 'tickets resumed on both workers');
  const stopped = await serve.stop('SIGINT');
  t.is(stopped.code, 0, stopped.stderr);
  const summary = JSON.parse(stopped.stdout.trim().split('\n').pop() as string) as JsonLine;
  t.like(summary, {
    type: 'summary',
    secureConnections: 6 * rounds,
    resumed: 5 * rounds,
    workerExits: 0,
  });
  t.true(await portIsFree(serve.listening.port), 'no worker is left holding the port');
});

test.serial('TLS 1.3 tickets: a ticket one worker issued resumes on the other', async (t) => {
  const dir = await makeTempDir(t);
  const session = join(dir, 'session.pem');
  const serve = await serveWorkers(t);
  const port = serve.listening.port;
  t.regex((await sClient(port, ['-sess_out', session])).stdout, /^New, TLSv1\.3/m);
  const issuer = (await serve.waitForLine((line) => line.type === 'secure')).worker;
  let count = 1;
  await untilBothWorkers(
    serve,
    async () => {
      const again = await sClient(port, ['-sess_in', session]);
      t.regex(again.stdout, /^Reused, TLSv1\.3/m);
      count += 1;
      await serve.waitForLine(() => secureLines(serve).length >= count);
    },
    20,
  );
  const elsewhere = secureLines(serve).find((line) => line.worker !== issuer);
  t.truthy(elsewhere, 'some connection reached the other worker');
  t.true(elsewhere?.resumed, 'and resumed the session the first worker issued');
});

test.serial(
  'session IDs (--session-store --no-tickets) resume across workers through the primary',
  async (t) => {
    const serve = await serveWorkers(t, ['--session-store', '--no-tickets']);
    let rounds = 0;
    await untilBothWorkers(serve, async () => {
      const result = await sClient(serve.listening.port, ['-tls1_2', '-reconnect', '-no_ticket']);
      t.is(result.stdout.match(/^Reused, TLSv1\.2/gm)?.length, 5);
      rounds += 1;
      await serve.waitForLine(() => secureLines(serve).length >= 6 * rounds);
    });
    const found = serve
      .lines()
      .filter((line) => line.type === 'session' && line.action === 'found');
    t.is(found.length, 5 * rounds);
    t.is(
      new Set(found.map((line) => line.worker)).size,
      2,
      'both workers found sessions in the store',
    );
  },
);

test.serial('when every worker dies, the primary reports each exit and stops', async (t) => {
  const serve = await serveWorkers(t);
  const pid = Number(serve.listening.pid);
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8'))
    .trim()
    .split(/\s+/)
    .map(Number);
  t.is(children.length, 2);
  for (const child of children) process.kill(child, 'SIGKILL');
  const result = await serve.exited;
  t.is(result.code, 0, result.stderr);
  const exits = serve.lines().filter((line) => line.type === 'workerExit');
  t.deepEqual(
    exits.map((line) => line.signal),
    ['SIGKILL', 'SIGKILL'],
  );
  t.like(serve.lines().at(-1) as JsonLine, { type: 'summary', workerExits: 2 });
});

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
