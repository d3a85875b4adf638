/**
 * connect() and openConnection() against in-process node:tls servers on 127.0.0.1 (and a Unix
 * socket): the verdict, client identities, scripted exchanges, STARTTLS, record sizes, session
 * files, and bad peers that must each end within the time limit with one clear error.
 */
import test, { type ExecutionContext } from 'ava';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import tls from 'node:tls';
import {
  CheckFailedError,
  FileExistsError,
  InputError,
  PeerError,
  UsageError,
  WrongPassphraseError,
} from '../../../../src/errors.js';
import type { FileOutput } from '../../../../src/io/atomic-write.js';
import { connect, expectationFailure, openConnection } from '../../../../src/tls/client/connect.js';
import type { ConnectOptions } from '../../../../src/tls/client/options.js';
import { acceptStarttls } from '../../../../src/tls/starttls/index.js';
import { makeTempDir, openssl } from '../../../helpers/index.js';
import { makeTestPki, removeTestPki, type TestPki } from './test-pki.js';

let pki: TestPki | undefined;
test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

const TIMEOUT_MS = 5_000;

/** The echo server of Node's TLS docs: "welcome!", then every byte back. */
async function echoServer(
  t: ExecutionContext,
  options: tls.TlsOptions = {},
  listenOn?: string,
): Promise<{ port: number; server: tls.Server }> {
  const server = tls.createServer(
    { key: pki!.pem.serverKey, cert: pki!.pem.serverCert, ...options },
    (socket) => {
      socket.on('error', () => {});
      socket.write('welcome!\n');
      socket.pipe(socket);
    },
  );
  server.on('tlsClientError', () => {});
  if (listenOn) server.listen(listenOn);
  else server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  return { port: listenOn ? 0 : (server.address() as AddressInfo).port, server };
}

/** A plain TCP server for bad-peer tests. */
async function tcpServer(t: ExecutionContext, onSocket: (socket: net.Socket) => void) {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

function trusting(port: number, extra: ConnectOptions = {}): ConnectOptions {
  return {
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: pki!.pem.ca,
    timeoutMs: TIMEOUT_MS,
    ...extra,
  };
}

test('send/expect: reads the greeting and the echo, and reports the exchange', async (t) => {
  const { port } = await echoServer(t);
  const summary = await connect(trusting(port, { send: 'ping\n', expect: /ping\n/ }));
  t.true(summary.authorized);
  t.deepEqual(summary.exchange, {
    sentBytes: 5,
    received: 'welcome!\nping\n',
    receivedBytes: 14,
    expected: 'ping\\n',
    matched: true,
    ended: 'matched',
  });
  t.is(expectationFailure(summary), undefined);
});

test('an expectation that never matches is reported, and becomes a one-line CheckFailedError', async (t) => {
  const { port } = await echoServer(t);
  const summary = await connect(trusting(port, { expect: /never/, timeoutMs: 1_000 }));
  t.is(summary.exchange?.matched, false);
  t.is(summary.exchange?.ended, 'timeout');
  const failure = expectationFailure(summary);
  t.true(failure instanceof CheckFailedError);
  t.regex(
    failure?.message ?? '',
    /did not receive \/never\/ before time ran out \(received 9 bytes: "welcome!\\n"\)$/,
  );
});

test("Node's bundled roots do not trust the test CA: CheckFailedError naming the reason", async (t) => {
  const { port } = await echoServer(t);
  const error = await t.throwsAsync(connect(trusting(port, { ca: undefined })), {
    instanceOf: CheckFailedError,
  });
  t.regex(
    error?.message ?? '',
    /^127\.0\.0\.1:\d+: certificate verification failed: .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/,
  );
  t.regex(error?.hint ?? '', /--ca FILE/);
});

test('--insecure connects to an untrusted self-signed server and still says why', async (t) => {
  const { port } = await echoServer(t, {
    key: await readFile(pki!.strangerKey),
    cert: await readFile(pki!.strangerCert),
  });
  await t.throwsAsync(connect(trusting(port)), {
    instanceOf: CheckFailedError,
    message: /DEPTH_ZERO_SELF_SIGNED_CERT/,
  });
  const summary = await connect(trusting(port, { insecure: true, expect: /welcome/ }));
  t.false(summary.authorized);
  t.is(summary.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  t.is(summary.authorizationReason, 'the certificate is self-signed and not trusted');
  t.true(summary.exchange?.matched);
});

test('a client certificate from a PEM file (key inside), or from PKCS#12 with a passphrase', async (t) => {
  const { port } = await echoServer(t, {
    requestCert: true,
    rejectUnauthorized: true,
    ca: pki!.pem.ca,
  });
  const dir = await makeTempDir(t);
  const combined = join(dir, 'client-combined.pem');
  await writeFile(
    combined,
    (await readFile(pki!.clientCert, 'utf8')) + (await readFile(pki!.clientKey, 'utf8')),
  );
  const withPem = await connect(trusting(port, { certFile: combined, expect: /welcome/ }));
  t.is(withPem.clientCertificate?.subject, 'CN=tlskit test client');
  t.true(withPem.exchange?.matched);

  const pfxFile = join(dir, 'client.p12');
  await openssl([
    'pkcs12',
    '-export',
    '-in',
    pki!.clientCert,
    '-inkey',
    pki!.clientKey,
    '-out',
    pfxFile,
    '-passout',
    'pass:sesame',
  ]);
  const asked: string[] = [];
  const withPfx = await connect(
    trusting(port, {
      pfxFile,
      passphrase: async (purpose) => {
        asked.push(purpose);
        return 'sesame';
      },
      expect: /welcome/,
    }),
  );
  t.is(withPfx.clientCertificate?.subject, 'CN=tlskit test client');
  t.deepEqual(asked, [`passphrase for ${pfxFile}`]);
  await t.throwsAsync(connect(trusting(port, { pfxFile, passphrase: async () => 'wrong' })), {
    instanceOf: WrongPassphraseError,
  });
});

test('client identity mistakes are caught before connecting', async (t) => {
  const port = 1;
  await t.throwsAsync(
    connect(trusting(port, { certFile: pki!.clientCert, keyFile: pki!.serverKey })),
    {
      instanceOf: InputError,
      message: `${pki!.serverKey} does not belong to the certificate in ${pki!.clientCert}`,
    },
  );
  await t.throwsAsync(connect(trusting(port, { certFile: pki!.clientCert })), {
    instanceOf: UsageError,
    message: `${pki!.clientCert} holds no private key`,
  });
  await t.throwsAsync(
    connect(trusting(port, { caFile: join(pki!.dir, 'index.txt'), ca: undefined })),
    {
      instanceOf: InputError,
      message: /holds no certificate|neither PEM nor/,
    },
  );
  await t.throwsAsync(connect(trusting(port, { ciphers: 'NO-SUCH-CIPHER' })), {
    instanceOf: UsageError,
    message: '--ciphers matches no cipher',
  });
  await t.throwsAsync(connect(trusting(port, { maxSendFragment: 100 })), {
    instanceOf: UsageError,
  });
  await t.throwsAsync(connect({ host: '127.0.0.1' }), { instanceOf: UsageError });
});

test('a Unix domain socket: verified against "localhost" by default', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'tls.sock');
  await echoServer(t, {}, path);
  const summary = await connect({
    unixPath: path,
    ca: pki!.pem.ca,
    expect: /welcome/,
    timeoutMs: TIMEOUT_MS,
  });
  t.is(summary.address, `unix:${path}`);
  t.is(summary.servername, 'localhost');
  t.true(summary.authorized);
  t.true(summary.exchange?.matched);
});

test('STARTTLS smtp through acceptStarttls, then the echo over TLS; reconnecting resumes', async (t) => {
  const context = tls.createSecureContext({ key: pki!.pem.serverKey, cert: pki!.pem.serverCert });
  const port = await tcpServer(t, (socket) => {
    void acceptStarttls('smtp', socket).then(
      () => {
        const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
        secure.on('error', () => {});
        secure.write('250 over TLS\r\n');
        secure.pipe(secure);
      },
      () => {},
    );
  });
  const summary = await connect(
    trusting(port, { starttls: 'smtp', send: 'NOOP\r\n', expect: /NOOP\r\n/, reconnect: 1 }),
  );
  t.is(summary.starttls, 'smtp');
  t.deepEqual(
    summary.reconnects.map((reconnect) => [reconnect.sessionOffered, reconnect.resumed]),
    [[true, true]],
  );
  t.true(summary.authorized);
  t.is(summary.exchange?.received, '250 over TLS\r\nNOOP\r\n');
});

test('--max-send-fragment 512 keeps every record the client sends at 512 bytes of plaintext', async (t) => {
  const { port } = await echoServer(t);
  // A relay that measures the client's TLS records on their way to the server.
  const recordLengths: number[] = [];
  const relayPort = await tcpServer(t, (client) => {
    const upstream = net.connect(port, '127.0.0.1');
    upstream.on('error', () => {});
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt16BE(3)) {
        recordLengths.push(pending.readUInt16BE(3));
        pending = pending.subarray(5 + pending.readUInt16BE(3));
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  const payload = 'x'.repeat(4000);
  const summary = await connect(
    trusting(relayPort, { maxSendFragment: 512, send: payload, expect: new RegExp(`${payload}$`) }),
  );
  t.is(summary.maxSendFragment, 512);
  t.true(summary.exchange?.matched);
  // TLS 1.3 adds a content-type byte and a 16-byte tag to each record's plaintext.
  const applicationRecords = recordLengths.filter((length) => length > 200);
  t.true(applicationRecords.length >= 8, `${recordLengths}`);
  t.true(Math.max(...applicationRecords) <= 512 + 17, `${recordLengths}`);
});

test('sessionOutFile: written 0600 through the writer, no clobbering without force; then resumed', async (t) => {
  const { port } = await echoServer(t);
  const written: FileOutput[] = [];
  const summary = await connect(
    trusting(port, {
      sessionOutFile: 'session.pem',
      writeFiles: async (outputs) => {
        written.push(...outputs);
      },
    }),
  );
  t.is(summary.sessionFile, 'session.pem');
  t.is(written[0]?.mode, 0o600);
  t.regex(String(written[0]?.data), /^-----BEGIN SSL SESSION PARAMETERS-----/);

  const dir = await makeTempDir(t);
  const file = join(dir, 'session.pem');
  await connect(trusting(port, { sessionOutFile: file }));
  await t.throwsAsync(connect(trusting(port, { sessionOutFile: file })), {
    instanceOf: FileExistsError,
  });
  const resumed = await connect(
    trusting(port, { sessionFile: file, sessionOutFile: file, force: true }),
  );
  t.true(resumed.sessionOffered);
  t.true(resumed.resumed);
  t.true(resumed.authorized);
});

test('the key log reaches the callback, one NSS line at a time', async (t) => {
  const { port } = await echoServer(t);
  const lines: string[] = [];
  await connect(trusting(port, { onKeylog: (line) => lines.push(line.toString('utf8')) }));
  t.true(lines.length >= 5);
  t.true(lines.every((line) => /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+\n$/.test(line)));
});

test('openConnection pipes input to the server and the server to output, then finishes', async (t) => {
  const { port } = await echoServer(t);
  const connection = await openConnection(trusting(port));
  t.true(connection.summary.authorized);
  const input = new PassThrough();
  const output = new PassThrough();
  const received: Buffer[] = [];
  output.on('data', (chunk: Buffer) => received.push(chunk));
  const piped = connection.pipe(input, output, TIMEOUT_MS);
  input.end('one\ntwo\n');
  t.deepEqual(await piped, { sentBytes: 8, receivedBytes: 17 });
  t.is(Buffer.concat(received).toString('utf8'), 'welcome!\none\ntwo\n');
  t.deepEqual(await connection.finish(), { sessionFile: null, warnings: [] });
});

const badPeers: Array<{
  title: string;
  peer: (socket: net.Socket) => void;
  message: RegExp;
  /** Short only for the stalling peer, where the limit is the point. */
  timeoutMs?: number;
}> = [
  {
    title: 'a plain-TCP server that says hello',
    peer: (socket) => socket.end('hello\n'),
    message: /: the server does not speak TLS on this port \(OpenSSL: wrong version number\)$/,
  },
  {
    title: 'a server that stalls',
    peer: () => {},
    message:
      /: no TLS handshake within 0\.4 s \(the server accepted the connection but did not answer the ClientHello\)$/,
    timeoutMs: 400,
  },
  {
    title: 'a server that hangs up at once',
    peer: (socket) => socket.end(),
    message: /: the server closed the connection during the handshake$/,
  },
  {
    title: 'a server that sends garbage',
    peer: (socket) => socket.end(Buffer.alloc(64, 0x16)),
    message: /^127\.0\.0\.1:\d+: /,
  },
];

for (const { title, peer, message, timeoutMs = 5_000 } of badPeers) {
  test(`ends within the time limit with one clear PeerError: ${title}`, async (t) => {
    const port = await tcpServer(t, peer);
    const started = Date.now();
    const error = await t.throwsAsync(connect(trusting(port, { timeoutMs })), {
      instanceOf: PeerError,
    });
    t.regex(error?.message ?? '', message);
    t.false((error?.message ?? '').includes('\n'));
    t.true(Date.now() - started < timeoutMs + 2_000);
  });
}

test('a closed port is refused at once', async (t) => {
  // Port 1 lies outside the ephemeral range, so no parallel test can be listening there (a
  // port freed by closing a listener can be taken by another test before we connect).
  const freePort = 1;
  const error = await t.throwsAsync(connect(trusting(freePort)), { instanceOf: PeerError });
  t.is(error?.message, `127.0.0.1:${freePort}: connection refused`);
  t.is(error?.hint, 'is the server running on that port?');
});

test('a STARTTLS server that never greets: the time limit the user gave, in one line', async (t) => {
  const port = await tcpServer(t, () => {});
  const error = await t.throwsAsync(
    connect(trusting(port, { starttls: 'imap', timeoutMs: 1_000 })),
    {
      instanceOf: PeerError,
    },
  );
  t.is(error?.message, `127.0.0.1:${port}: the STARTTLS dialogue did not finish within 1 s`);
});

test('a STARTTLS server that refuses: its answer, prefixed with the address', async (t) => {
  const port = await tcpServer(t, (socket) => {
    socket.write('+OK ready\r\n');
    socket.once('data', () => socket.write('-ERR not today\r\n'));
  });
  const error = await t.throwsAsync(connect(trusting(port, { starttls: 'pop3' })), {
    instanceOf: PeerError,
  });
  t.is(
    error?.message,
    `127.0.0.1:${port}: POP3 STARTTLS: the server answered STLS with "-ERR not today"`,
  );
});
