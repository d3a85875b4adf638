/**
 * A second real client for tlskit's server side of each dialogue: GnuTLS's
 * `gnutls-cli --starttls-proto X`, which must complete the plain-text part, then a verified
 * handshake, and print what the server sends over TLS.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { acceptStarttls, STARTTLS_PROTOCOLS } from '../../src/tls/starttls/index.js';
import { makeTestPki, removeTestPki, type TestPki } from '../unit/tls/client/test-pki.js';

let pki: TestPki | undefined;
test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

for (const protocol of STARTTLS_PROTOCOLS) {
  test(`gnutls-cli --starttls-proto ${protocol} upgrades through acceptStarttls`, async (t) => {
    const failures: unknown[] = [];
    const context = tls.createSecureContext({ key: pki!.pem.serverKey, cert: pki!.pem.serverCert });
    const server = net.createServer((socket) => {
      acceptStarttls(protocol, socket, { hostname: 'mail.test' }).then(
        () => {
          const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
          secure.on('error', (error) => failures.push(error));
          secure.on('secure', () => setImmediate(() => secure.end(`upgraded from ${protocol}\n`)));
        },
        (error: unknown) => failures.push(error),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => server.close());
    const { port } = server.address() as AddressInfo;
    const result = await runUntilServerCloses('gnutls-cli', [
      `--starttls-proto=${protocol}`,
      '--x509cafile',
      pki!.caCert,
      '-p',
      String(port),
      'localhost',
    ]);
    t.deepEqual(failures, []);
    t.regex(result.stderr + result.stdout, /Handshake was completed/);
    t.regex(result.stderr + result.stdout, /The certificate is trusted/);
    t.regex(result.stderr + result.stdout, /Description: \(TLS1\.3-X\.509\)/);
    t.regex(result.stdout, new RegExp(`upgraded from ${protocol}\\n`));
  });
}

/**
 * gnutls-cli stops reading when its standard input ends, which may be before the server's
 * message arrives: keep it open, and let the server's close end the client.
 */
function runUntilServerCloses(
  command: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, stdout, stderr });
    });
  });
}
