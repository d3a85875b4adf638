import test from 'ava';
import { existsSync } from 'node:fs';
import { runTlskit } from '../helpers/index.js';
import type { DemoResult } from '../../src/demo.js';

test('tlskit demo completes a verified handshake, refuses a wrong host, and cleans up', async (t) => {
  const result = await runTlskit(['demo', '--json']);
  t.is(result.code, 0, result.stderr);
  const demo = JSON.parse(result.stdout) as DemoResult;
  t.deepEqual(
    demo.steps.map((step) => step.command),
    ['keygen', 'csr', 'sign', 'handshake', 'wrong-host'],
  );
  t.true(demo.handshake.authorized);
  t.is(demo.handshake.authorizationError, null);
  t.is(demo.handshake.received, 'welcome!\n');
  t.is(demo.handshake.host, '127.0.0.1');
  t.false(demo.wrongHost.authorized);
  t.is(demo.wrongHost.authorizationError, 'ERR_TLS_CERT_ALTNAME_INVALID');
  t.deepEqual(demo.certificate.sans, ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1']);
  t.false(existsSync(demo.folder), 'the throwaway folder is gone');
});

test('tlskit demo speaks in plain text when not on a terminal', async (t) => {
  const result = await runTlskit(['demo']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /tlskit keygen +a new RSA 2048-bit private key/);
  t.regex(result.stdout, /TLSv1\.3 handshake on 127\.0\.0\.1:\d+, verified/);
  t.false(result.stdout.includes('\u001b['), 'no colour codes when NO_COLOR is set');
});
