/**
 * --starttls: the probe runs each hello after the harness's own STARTTLS dialogue
 * (src/tls/starttls), against servers that upgrade through acceptStarttls, like real mail and
 * directory servers do. Every hello pays for a dialogue, so the scan must stay exact.
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { probe } from '../../src/probe/probe.js';
import { acceptStarttls, type StarttlsProtocol } from '../../src/tls/starttls/index.js';
import { fixturesDir } from '../helpers/index.js';

const context = tls.createSecureContext({
  key: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.key.pem')),
  cert: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.cert.pem')),
  minVersion: 'TLSv1.2',
  ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305',
});

for (const protocol of ['smtp', 'imap', 'ldap'] as const satisfies readonly StarttlsProtocol[]) {
  test(`--starttls ${protocol}: protocols and suites behind the dialogue`, async (t) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      acceptStarttls(protocol, socket, { hostname: 'mail.test' }).then(
        () => {
          const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
          secure.on('error', () => {});
        },
        () => {},
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => server.close());
    const { port } = server.address() as net.AddressInfo;
    const report = await probe({
      targets: [`127.0.0.1:${port}`],
      starttls: protocol,
      scanners: ['ciphers'],
      timeoutMs: 5000,
    });
    const target = report.targets[0]!;
    t.is(target.starttls, protocol);
    t.deepEqual(target.findings, []);
    t.deepEqual(
      target.protocols.filter((entry) => entry.supported).map((entry) => entry.protocol),
      ['TLS1.2', 'TLS1.3'],
    );
    const tls12 = target.cipherSuites!.find((section) => section.protocol === 'TLS1.2')!;
    t.deepEqual(tls12.suites.map((suite) => suite.name).sort(), [
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    ]);
  });
}

test('a server that never agrees to upgrade is unreachable with the dialogue named', async (t) => {
  const server = net.createServer((socket) => socket.end('554 no service here\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const { port } = server.address() as net.AddressInfo;
  const report = await probe({ targets: [`127.0.0.1:${port}`], starttls: 'smtp', timeoutMs: 3000 });
  t.like(report.targets[0], { status: 'unreachable', cipherSuites: null });
  t.regex(report.targets[0]!.error ?? '', /^STARTTLS \(smtp\): /);
});
