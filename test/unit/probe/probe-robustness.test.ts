/**
 * Misbehaving servers, written here as tiny net servers on 127.0.0.1: garbage, an HTTP banner,
 * never-ending data, a bogus record length, a reset mid-answer, silence, a closed port. Each must
 * end up as a clear finding for its own target while the scan goes on, and nothing may be thrown
 * (ava fails a test on any uncaught exception or unhandled rejection).
 */
import test, { type ExecutionContext } from 'ava';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { probe } from '../../../src/probe/probe.js';
import type { TargetReport } from '../../../src/probe/report.js';
import { fixturesDir } from '../../helpers/index.js';

// Generous: the fake servers share this process's event loop with the scan.
const TIMEOUT_MS = 2000;

/** A server that runs `behave` on every connection; closed at teardown. */
async function fakeServer(
  t: ExecutionContext,
  behave: (socket: net.Socket) => void,
): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

/** A well-behaved TLS 1.2/1.3 server (node:tls), to show the scan goes on beside the bad ones. */
async function healthyServer(t: ExecutionContext): Promise<number> {
  const server = tls.createServer({
    key: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.key.pem')),
    cert: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.cert.pem')),
    minVersion: 'TLSv1.2',
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

async function scanAll(ports: Record<string, number>): Promise<Record<string, TargetReport>> {
  const report = await probe({
    targets: Object.values(ports).map((port) => `127.0.0.1:${port}`),
    timeoutMs: TIMEOUT_MS,
    scanners: ['ciphers'],
    concurrency: 8,
  });
  return Object.fromEntries(
    Object.entries(ports).map(([name, port]) => [
      name,
      report.targets.find((target) => target.port === port)!,
    ]),
  );
}

const undecided = (target: TargetReport) =>
  target.protocols.filter((protocol) => protocol.supported === null);

test('each misbehaving server is a clear finding of its own, and a healthy one beside them is scanned', async (t) => {
  const ports = {
    healthy: await healthyServer(t),
    garbage: await fakeServer(t, (socket) => socket.end(Buffer.from('99c0ffee'.repeat(16), 'hex'))),
    http: await fakeServer(t, (socket) =>
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'),
    ),
    bogusLength: await fakeServer(t, (socket) => socket.end(Buffer.from('160303ffff', 'hex'))),
    resetMidAnswer: await fakeServer(t, (socket) => {
      socket.once('data', () => {
        socket.write(Buffer.from('16030300', 'hex'));
        setTimeout(() => socket.resetAndDestroy(), 20);
      });
    }),
    endless: await fakeServer(t, (socket) => {
      // Valid heartbeat records, forever: never a handshake message, never a ServerHello.
      const chunk = Buffer.concat([Buffer.from('1803034000', 'hex'), Buffer.alloc(0x4000)]);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    }),
    silent: await fakeServer(t, () => {}),
  };
  const started = Date.now();
  const targets = await scanAll(ports);
  t.true(Date.now() - started < 20 * TIMEOUT_MS, 'bounded by the time-outs, not stuck');

  const healthy = targets.healthy!;
  t.is(healthy.status, 'scanned');
  t.deepEqual(
    healthy.protocols.filter((protocol) => protocol.supported).map((protocol) => protocol.protocol),
    ['TLS1.2', 'TLS1.3'],
  );
  t.true(healthy.cipherSuites!.every((section) => section.complete && section.suites.length > 0));

  for (const name of [
    'garbage',
    'http',
    'bogusLength',
    'resetMidAnswer',
    'endless',
    'silent',
  ] as const) {
    const target = targets[name]!;
    t.is(target.status, 'scanned', name);
    t.is(undecided(target).length, 6, `${name}: no protocol can be decided`);
    t.is(target.rating.grade, '-', name);
    t.true(target.findings.length >= 6, name);
  }
  const evidence = (name: keyof typeof ports) => targets[name]!.protocols[4]!.evidence;
  t.regex(evidence('garbage'), /malformed answer: record: not TLS: first byte 0x99/);
  t.regex(evidence('http'), /not TLS: the server answered with text: "HTTP\/1.1 400 Bad Request"/);
  t.regex(evidence('bogusLength'), /length 65535 exceeds 18432/);
  t.regex(evidence('resetMidAnswer'), /connection reset after 4 bytes, mid-answer/);
  t.regex(evidence('endless'), /kept sending \(\d+ bytes\) without a complete answer/);
  t.is(evidence('silent'), 'no answer in time');
});

test('a closed port makes its target unreachable, not the scan', async (t) => {
  const closed = CLOSED_PORT;
  const open = await healthyServer(t);
  const report = await probe({
    targets: [`127.0.0.1:${closed}`, `127.0.0.1:${open}`],
    timeoutMs: TIMEOUT_MS,
    scanners: ['protocols'],
  });
  t.like(report.targets[0], {
    status: 'unreachable',
    error: 'connection refused',
    cipherSuites: null,
  });
  t.is(report.targets[0]!.rating.grade, '-');
  t.is(report.targets[1]!.status, 'scanned');
});

/**
 * A port nothing listens on: port 1 lies outside the ephemeral range, so no parallel test can
 * be listening there (a port freed by closing a listener can be taken before the probe connects).
 */
const CLOSED_PORT = 1;

test('a server that insists on SNI: the scan says to give --servername', async (t) => {
  const port = await fakeServer(t, (socket) =>
    socket.once('data', () => socket.end(Buffer.from('15030300020270', 'hex'))),
  );
  const report = await probe({
    targets: [`127.0.0.1:${port}`],
    timeoutMs: TIMEOUT_MS,
    scanners: ['protocols'],
  });
  const target = report.targets[0]!;
  t.true(
    target.protocols.slice(1).every((protocol) => protocol.evidence === 'alert unrecognized_name'),
  );
  t.true(target.findings.some((finding) => /give it with --servername/.test(finding.message)));
});
