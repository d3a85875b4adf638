import test from 'ava';
import { existsSync } from 'node:fs';
import { runTlskit } from '../helpers/index.js';
import type { DemoResult } from '../../src/demo.js';

test('tlskit demo: a CA-issued mutual-TLS connection, an echo, a resumed reconnect, then clean-up', async (t) => {
  const result = await runTlskit(['demo', '--json']);
  t.is(result.code, 0, result.stderr);
  const demo = JSON.parse(result.stdout) as DemoResult;
  t.deepEqual(
    demo.steps.map((step) => step.command),
    ['ca init', 'keygen', 'csr', 'ca issue', 'ca issue', 'serve', 'connect', 'connect --reconnect'],
  );
  const { client, server } = demo;
  t.true(client.authorized);
  t.is(client.servername, 'localhost');
  t.regex(client.address, /^127\.0\.0\.1:\d+$/);
  t.true(client.exchange?.matched);
  t.regex(client.exchange?.received ?? '', /^welcome!\nhello from tlskit\n/);
  t.not(client.clientCertificate, null, 'the client presented its certificate');
  t.true(client.reconnects[0]?.resumed, 'the reconnect resumed the session');
  t.is(server.secureConnections, 2);
  t.is(server.resumed, 1);
  t.is(server.clientCertificates.authorized, 2);
  t.is(server.clientCertificates.unauthorized, 0);
  t.is(server.openConnections, 0);
  t.false(existsSync(demo.folder), 'the throwaway folder is gone');
});

test('tlskit demo speaks in plain text when not on a terminal', async (t) => {
  const result = await runTlskit(['demo']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /tlskit ca init +a throwaway CA/);
  t.regex(result.stdout, /tlskit connect +TLSv1\.3 with \S+, server verified, echo received/);
  t.regex(result.stdout, /tlskit connect --reconnect +the session was resumed/);
  t.false(result.stdout.includes('\u001b['), 'no colour codes when NO_COLOR is set');
});
