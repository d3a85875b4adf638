/**
 * The real `openssl s_client -starttls X` against tlskit's server side of each dialogue: the
 * client must complete its plain-text part, then a verified handshake, and read what the server
 * sends over TLS.
 */
import test from 'ava';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { acceptStarttls, type StarttlsProtocol } from '../../src/tls/starttls/index.js';
import { runOpenssl } from '../helpers/index.js';
import { makeTestPki, removeTestPki, type TestPki } from '../unit/tls/client/test-pki.js';

let pki: TestPki | undefined;
test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

/** openssl 3.0's -starttls names for our protocols, and the flags each needs. */
const cases: Array<{ protocol: StarttlsProtocol; extra: string[] }> = [
  { protocol: 'smtp', extra: [] },
  { protocol: 'imap', extra: [] },
  { protocol: 'pop3', extra: [] },
  { protocol: 'ftp', extra: [] },
  { protocol: 'postgres', extra: [] },
  { protocol: 'xmpp', extra: ['-xmpphost', 'localhost'] },
  { protocol: 'ldap', extra: [] },
];

for (const { protocol, extra } of cases) {
  test(`openssl s_client -starttls ${protocol} upgrades through acceptStarttls`, async (t) => {
    const failures: unknown[] = [];
    const server = net.createServer((socket) => {
      acceptStarttls(protocol, socket, { timeoutMs: 10_000, hostname: 'mail.test' }).then(
        () => {
          const secure = new tls.TLSSocket(socket, {
            isServer: true,
            secureContext: tls.createSecureContext({
              key: pki!.pem.serverKey,
              cert: pki!.pem.serverCert,
            }),
          });
          secure.on('error', (error) => failures.push(error));
          // Ending inside the 'secure' handler itself skips close_notify (s_client: "unexpected eof").
          secure.on('secure', () => setImmediate(() => secure.end(`upgraded from ${protocol}\n`)));
        },
        (error: unknown) => failures.push(error),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => server.close());
    const { port } = server.address() as AddressInfo;
    const result = await runOpenssl(
      [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-starttls',
        protocol,
        ...extra,
        '-servername',
        'localhost',
        '-verify_hostname',
        'localhost',
        '-CAfile',
        pki!.caCert,
        '-verify_return_error',
        // Stay until the server closes, so its message is read.
        '-ign_eof',
      ],
      { timeoutMs: 20_000 },
    );
    t.deepEqual(failures, []);
    t.is(result.code, 0, result.stderr);
    t.regex(result.stdout, /Verify return code: 0 \(ok\)/);
    t.regex(result.stdout, /New, TLSv1\.3, Cipher is TLS_AES_256_GCM_SHA384/);
    t.regex(result.stdout, new RegExp(`upgraded from ${protocol}\\n`));
  });
}
