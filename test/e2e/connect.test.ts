/**
 * `tlskit connect` (and `tlskit s_client`) as a user runs it: exit codes, the one stderr line of
 * a failure, where the summary goes, the data pipe, --json, and bad peers bounded by --timeout.
 */
import test, { type ExecutionContext } from 'ava';
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { acceptStarttls } from '../../src/tls/starttls/index.js';
import { makeTempDir, runTlskit } from '../helpers/index.js';
import { makeTestPki, removeTestPki, type TestPki } from '../unit/tls/client/test-pki.js';

let pki: TestPki | undefined;
test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

async function listen(t: ExecutionContext, server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** The echo server of Node's TLS docs. */
function echoServer(t: ExecutionContext): Promise<number> {
  const server = tls.createServer(
    { key: pki!.pem.serverKey, cert: pki!.pem.serverCert },
    (socket) => {
      socket.on('error', () => {});
      socket.write('welcome!\n');
      socket.pipe(socket);
    },
  );
  server.on('tlsClientError', () => {});
  return listen(t, server);
}

function tcpServer(t: ExecutionContext, onSocket: (socket: net.Socket) => void): Promise<number> {
  const sockets: net.Socket[] = [];
  t.teardown(() => sockets.forEach((socket) => socket.destroy()));
  return listen(
    t,
    net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      onSocket(socket);
    }),
  );
}

/** A failure is exactly one line on stderr, and nothing on stdout. */
function assertOneLine(
  t: ExecutionContext,
  result: { stdout: string; stderr: string },
  line: RegExp,
) {
  t.is(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, result.stderr);
  t.regex(lines[0] ?? '', line);
}

test('piped: the summary goes to stderr, stdout carries exactly what the server sent', async (t) => {
  const port = await echoServer(t);
  const result = await runTlskit(['connect', `localhost:${port}`, '--ca', pki!.caCert], {
    input: 'ping\n',
  });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'welcome!\nping\n');
  t.regex(
    result.stderr,
    new RegExp(`^Connected to localhost:${port} \\(SNI localhost\\) in \\d+ ms\\n`),
  );
  t.regex(result.stderr, /├─ Protocol: TLSv1\.3\n/);
  t.regex(result.stderr, /├─ Verification: OK\n/);
  t.regex(result.stderr, /Subject: CN=localhost\n/);
});

test('--quiet drops the summary; s_client is the same command', async (t) => {
  const port = await echoServer(t);
  const result = await runTlskit(['s_client', `127.0.0.1:${port}`, '--ca', pki!.caCert, '-q'], {
    input: 'x',
  });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'welcome!\nx');
  t.is(result.stderr, '');
});

test('--send/--expect: exit 0 and the bytes on stdout when it matches, 1 and one line when not', async (t) => {
  const port = await echoServer(t);
  const matched = await runTlskit([
    'connect',
    `127.0.0.1:${port}`,
    '--servername',
    'localhost',
    '--ca',
    pki!.caCert,
    '--send',
    'hello\\n',
    '--expect',
    '^welcome!\\nhello\\n$',
    '-q',
  ]);
  t.is(matched.code, 0, matched.stderr);
  t.is(matched.stdout, 'welcome!\nhello\n');
  const missed = await runTlskit([
    'connect',
    `127.0.0.1:${port}`,
    '--servername',
    'localhost',
    '--ca',
    pki!.caCert,
    '--expect',
    'goodbye',
    '--timeout',
    '1s',
    '-q',
  ]);
  t.is(missed.code, 1);
  t.is(missed.stdout, 'welcome!\n');
  t.regex(
    missed.stderr,
    /^tlskit: 127\.0\.0\.1:\d+: did not receive \/goodbye\/ before time ran out \(received 9 bytes: "welcome!\\n"\) \(check --send, or allow more time with --timeout\)\n$/,
  );
});

test('--json: the summary object, with the exchange', async (t) => {
  const port = await echoServer(t);
  const result = await runTlskit([
    'connect',
    `127.0.0.1:${port}`,
    '--servername',
    'localhost',
    '--ca',
    pki!.caCert,
    '--json',
    '--expect',
    'welcome',
    '--alpn',
    'h2,http/1.1',
    '--reconnect',
    '1',
  ]);
  t.is(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as Record<string, unknown>;
  t.like(summary, {
    address: `127.0.0.1:${port}`,
    servername: 'localhost',
    protocol: 'TLSv1.3',
    authorized: true,
    authorizationError: null,
    alpnProtocol: null,
    resumed: false,
    exchange: { matched: true, received: 'welcome!\n' },
    reconnects: [{ attempt: 1, sessionOffered: true, resumed: true, protocol: 'TLSv1.3' }],
  });
  t.deepEqual(
    (summary.peerCertificates as Array<{ subject: string }>).map(
      (certificate) => certificate.subject,
    ),
    ['CN=localhost', 'CN=tlskit test root'],
  );
});

test('verification failures exit 1 and name the reason: wrong host, untrusted CA', async (t) => {
  const port = await echoServer(t);
  const wrongHost = await runTlskit([
    'connect',
    `127.0.0.1:${port}`,
    '--servername',
    'wrong.test',
    '--ca',
    pki!.caCert,
  ]);
  t.is(wrongHost.code, 1);
  assertOneLine(
    t,
    wrongHost,
    /^tlskit: 127\.0\.0\.1:\d+: certificate verification failed: the certificate is not for this host name: Host: wrong\.test\. is not in the cert's altnames: DNS:localhost, IP Address:127\.0\.0\.1 \(ERR_TLS_CERT_ALTNAME_INVALID\) \(connect with the name the certificate is for \(--servername\), or use --insecure\)$/,
  );
  const untrusted = await runTlskit(['connect', `localhost:${port}`]);
  t.is(untrusted.code, 1);
  assertOneLine(
    t,
    untrusted,
    /^tlskit: localhost:\d+: certificate verification failed: the issuer of the certificate is not known .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\) \(trust its CA with --ca FILE, or use --insecure\)$/,
  );
});

test('--insecure connects (exit 0) and still reports why the server is not trusted', async (t) => {
  const port = await echoServer(t);
  const result = await runTlskit([
    'connect',
    `localhost:${port}`,
    '--insecure',
    '--expect',
    'welcome',
  ]);
  t.is(result.code, 0, result.stderr);
  t.regex(
    result.stderr,
    /Verification: FAILED, connected anyway \(--insecure\): the issuer of the certificate is not known/,
  );
  t.is(result.stdout, 'welcome!\n');
});

const badPeers: Array<{
  title: string;
  peer: ((socket: net.Socket) => void) | 'closed';
  line: RegExp;
}> = [
  {
    title: 'a closed port',
    peer: 'closed',
    line: /^tlskit: 127\.0\.0\.1:\d+: connection refused \(is the server running on that port\?\)$/,
  },
  {
    title: 'a plain-TCP server that says hello',
    peer: (socket) => socket.end('hello\n'),
    line: /^tlskit: 127\.0\.0\.1:\d+: the server does not speak TLS on this port \(OpenSSL: wrong version number\) \(for a plain-text protocol that upgrades, use --starttls PROTOCOL\)$/,
  },
  {
    title: 'a server that accepts and never answers',
    peer: () => {},
    line: /^tlskit: 127\.0\.0\.1:\d+: no TLS handshake within 1 s \(the server accepted the connection but did not answer the ClientHello\) \(is it a TLS port\? for STARTTLS use --starttls PROTOCOL\)$/,
  },
];

// Serial: these measure time, so they run before the rest of the file loads the machine.
for (const { title, peer, line } of badPeers) {
  test.serial(`exit 5 with one line within --timeout: ${title}`, async (t) => {
    let port: number;
    if (peer === 'closed') {
      const server = net.createServer();
      port = await listen(t, server);
      server.close();
      await once(server, 'close');
    } else {
      port = await tcpServer(t, peer);
    }
    const started = Date.now();
    const result = await runTlskit(['connect', `127.0.0.1:${port}`, '--timeout', '1'], {
      timeoutMs: 20_000,
    });
    t.is(result.code, 5);
    assertOneLine(t, result, line);
    // One second of waiting at most, plus the CLI's start-up on a busy machine; a hang would
    // run into runTlskit's own limit.
    t.true(Date.now() - started < 12_000);
  });
}

test('--starttls smtp: the SMTP dialogue, then TLS', async (t) => {
  const context = tls.createSecureContext({ key: pki!.pem.serverKey, cert: pki!.pem.serverCert });
  const port = await tcpServer(t, (socket) => {
    void acceptStarttls('smtp', socket, { hostname: 'mx.test' }).then(
      () => {
        const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
        secure.on('error', () => {});
        secure.end('250 mx.test after STARTTLS\r\n');
      },
      () => {},
    );
  });
  const result = await runTlskit([
    'connect',
    `localhost:${port}`,
    '--ca',
    pki!.caCert,
    '--starttls',
    'smtp',
    '--expect',
    'after STARTTLS',
  ]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /├─ STARTTLS: smtp\n/);
  t.is(result.stdout, '250 mx.test after STARTTLS\r\n');
});

test('--sess-out writes a 0600 session that --sess-in resumes; --keylog appends 0600', async (t) => {
  const port = await echoServer(t);
  const dir = await makeTempDir(t);
  const session = join(dir, 'session.pem');
  const keylog = join(dir, 'keys.log');
  const common = [
    'connect',
    `localhost:${port}`,
    '--ca',
    pki!.caCert,
    '--json',
    '--keylog',
    keylog,
  ];
  const first = await runTlskit([...common, '--sess-out', session]);
  t.is(first.code, 0, first.stderr);
  t.like(JSON.parse(first.stdout), { sessionFile: session, keylogFile: keylog, resumed: false });
  t.is((await stat(session)).mode & 0o777, 0o600);
  const again = await runTlskit([...common, '--sess-in', session]);
  t.is(again.code, 0, again.stderr);
  t.like(JSON.parse(again.stdout), { sessionOffered: true, resumed: true });
  t.is((await stat(keylog)).mode & 0o777, 0o600);
  t.regex(await readFile(keylog, 'utf8'), /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} /m);
  const refused = await runTlskit([...common, '--sess-out', session]);
  t.is(refused.code, 4);
  t.regex(refused.stdout, /already exists/);
});

const usage: Array<[string[], RegExp]> = [
  [['connect'], /give HOST:PORT \(or --unix PATH\)/],
  [['connect', '::1:443'], /put an IPv6 address in brackets: \[::1\]:443/],
  [['connect', 'example.com'], /is not HOST:PORT/],
  [['connect', 'localhost:1', '--max-version', '2'], /--max-version: "2" is not a TLS version/],
  [['connect', 'localhost:1', '--timeout', 'soon'], /--timeout: "soon" is not a duration/],
  [['connect', 'localhost:1', '--send', '\\q'], /unknown escape/],
  [['connect', 'localhost:1', '--starttls', 'gopher'], /gopher/],
];
for (const [args, line] of usage) {
  test(`usage error, exit 2, one line: ${args.join(' ')}`, async (t) => {
    const result = await runTlskit(args);
    t.is(result.code, 2);
    assertOneLine(t, result, line);
  });
}
