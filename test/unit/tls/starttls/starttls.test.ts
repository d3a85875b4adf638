/**
 * Both sides of every STARTTLS dialogue against each other on 127.0.0.1, then a real TLS
 * handshake on the upgraded socket; and the failures a bad peer causes, each bounded in time.
 */
import test from 'ava';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { InputError, PeerError, UsageError } from '../../../../src/errors.js';
import {
  acceptStarttls,
  requestStarttls,
  STARTTLS_PROTOCOLS,
  type StarttlsProtocol,
} from '../../../../src/tls/starttls/index.js';
import { makeTestPki, removeTestPki, type TestPki } from '../client/test-pki.js';

const TIMEOUT_MS = 5_000;
let pki: TestPki | undefined;

test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

/** A plain TCP server on an ephemeral loopback port, closed when the test ends. */
async function listen(
  t: { teardown(fn: () => void): void },
  onConnection: (socket: net.Socket) => void,
): Promise<number> {
  const server = net.createServer(onConnection);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  return (server.address() as AddressInfo).port;
}

async function dial(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

/** Everything a readable sends until it ends, bounded by a timer. */
async function readAll(stream: NodeJS.ReadableStream & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  const timer = setTimeout(() => stream.destroy(), TIMEOUT_MS);
  try {
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A STARTTLS server that upgrades, says which protocol it upgraded from, and closes. */
function upgradingServer(
  protocol: StarttlsProtocol,
  failures: unknown[],
): (socket: net.Socket) => void {
  return (socket) => {
    acceptStarttls(protocol, socket, { hostname: 'mail.test', timeoutMs: TIMEOUT_MS }).then(
      () => {
        const secure = new tls.TLSSocket(socket, {
          isServer: true,
          secureContext: tls.createSecureContext({
            key: pki!.pem.serverKey,
            cert: pki!.pem.serverCert,
          }),
        });
        secure.on('error', (error) => failures.push(error));
        secure.on('secure', () => setImmediate(() => secure.end(`upgraded from ${protocol}\n`)));
      },
      (error: unknown) => failures.push(error),
    );
  };
}

for (const protocol of STARTTLS_PROTOCOLS) {
  test(`${protocol}: requestStarttls and acceptStarttls upgrade to a verified TLS 1.3 session`, async (t) => {
    const failures: unknown[] = [];
    const port = await listen(t, upgradingServer(protocol, failures));
    const socket = await dial(port);
    await requestStarttls(protocol, socket, { timeoutMs: TIMEOUT_MS, hostname: 'localhost' });
    const secure = tls.connect({ socket, ca: pki!.pem.ca, servername: 'localhost' });
    await once(secure, 'secureConnect');
    t.true(secure.authorized);
    t.is(secure.getProtocol(), 'TLSv1.3');
    t.is(await readAll(secure), `upgraded from ${protocol}\n`);
    t.deepEqual(failures, []);
  });
}

test('server side: bytes pipelined after STARTTLS reach the TLS layer, not the dialogue', async (t) => {
  const failures: unknown[] = [];
  const port = await listen(t, upgradingServer('smtp', failures));
  const clientHello = await captureClientHello(t);
  const socket = await dial(port);
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.write('EHLO client.test\r\n');
  await waitFor(() => Buffer.concat(received).toString('latin1').includes('250 STARTTLS'));
  // Not what a client should do (it must wait for the 220): the ClientHello rides along.
  socket.write(Buffer.concat([Buffer.from('STARTTLS\r\n'), clientHello]));
  const afterReady = () => {
    const all = Buffer.concat(received);
    const lineEnd = all.indexOf('\r\n', all.indexOf('220 2.0.0'));
    return all.includes('220 2.0.0') && lineEnd !== -1
      ? all.subarray(lineEnd + 2)
      : Buffer.alloc(0);
  };
  await waitFor(() => afterReady().length >= 5);
  // A TLS handshake record (0x16, version 0x0303): the server answered the ClientHello.
  t.deepEqual([...afterReady().subarray(0, 3)], [0x16, 0x03, 0x03]);
  socket.destroy();
});

test('client side: bytes the server sends after agreeing stay on the socket for TLS', async (t) => {
  const port = await listen(t, (socket) => {
    socket.write('220 mx.test ESMTP\r\n');
    socket.once('data', () => {
      socket.write('250-mx.test\r\n250 STARTTLS\r\n');
      socket.once('data', () => socket.write('220 go ahead\r\nINJECTED'));
    });
  });
  const socket = await dial(port);
  await requestStarttls('smtp', socket, { timeoutMs: TIMEOUT_MS });
  await waitFor(() => socket.readableLength > 0);
  t.is(String(socket.read()), 'INJECTED');
  socket.destroy();
});

const refusals: Array<{
  title: string;
  protocol: StarttlsProtocol;
  server: (socket: net.Socket) => void;
  message: RegExp;
  /** Short only where the time limit is the point; loaded test machines are slow. */
  timeoutMs?: number;
}> = [
  {
    title: 'an SMTP server without STARTTLS',
    protocol: 'smtp',
    server: (socket) => {
      socket.write('220 mx.test ESMTP\r\n');
      socket.once('data', () => socket.write('250-mx.test\r\n250 SIZE 1000\r\n'));
    },
    message: /^SMTP STARTTLS: the server does not offer STARTTLS \(EHLO lists SIZE 1000\)$/,
  },
  {
    title: 'an SMTP server that refuses STARTTLS',
    protocol: 'smtp',
    server: (socket) => {
      socket.write('220 mx.test ESMTP\r\n');
      socket.once('data', () => {
        socket.write('250 STARTTLS\r\n');
        socket.once('data', () => socket.write('454 4.7.0 TLS not available\r\n'));
      });
    },
    message: /answered STARTTLS with 454 4\.7\.0 TLS not available/,
  },
  {
    title: 'an IMAP server that says PREAUTH',
    protocol: 'imap',
    server: (socket) => socket.write('* PREAUTH welcome\r\n'),
    message: /greeted with "\* PREAUTH welcome", not "\* OK"/,
  },
  {
    title: 'a POP3 server that refuses STLS',
    protocol: 'pop3',
    server: (socket) => {
      socket.write('+OK ready\r\n');
      socket.once('data', () => socket.write('-ERR no\r\n'));
    },
    message: /answered STLS with "-ERR no"/,
  },
  {
    title: 'an FTP server without AUTH TLS',
    protocol: 'ftp',
    server: (socket) => {
      socket.write('220-welcome\r\n hello\r\n220 ready\r\n');
      socket.once('data', () => socket.write('500 unknown command\r\n'));
    },
    message: /answered AUTH TLS with 500/,
  },
  {
    title: 'a PostgreSQL server that answers N',
    protocol: 'postgres',
    server: (socket) => socket.once('data', () => socket.write('N')),
    message: /does not accept SSL/,
  },
  {
    title: 'an LDAP server that is unwilling',
    protocol: 'ldap',
    server: (socket) =>
      socket.once('data', () =>
        // messageID 1, ExtendedResponse { resultCode 53, "", "" } with OpenLDAP's 4-octet lengths.
        socket.write(
          Buffer.from('308400000010020101788400000007' + '0a0135' + '0400' + '0400', 'hex'),
        ),
      ),
    message: /refused StartTLS: result code 53 \(unwillingToPerform\)/,
  },
  {
    title: 'an XMPP server without starttls in its features',
    protocol: 'xmpp',
    server: (socket) =>
      socket.once('data', () =>
        socket.write(
          "<?xml version='1.0'?><stream:stream xmlns='jabber:client' " +
            "xmlns:stream='http://etherx.jabber.org/streams' id='1' version='1.0'>" +
            "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></stream:features>",
        ),
      ),
    message: /does not offer STARTTLS in its stream features/,
  },
  {
    title: 'a server that never speaks',
    protocol: 'smtp',
    server: () => {},
    message: /^SMTP STARTTLS: the dialogue did not finish within 300 ms$/,
    timeoutMs: 300,
  },
  {
    title: 'a server that sends an endless line',
    protocol: 'imap',
    server: (socket) => socket.write('* OK '.padEnd(5000, 'x')),
    message: /sent a line longer than 4096 bytes/,
  },
  {
    title: 'a server that hangs up',
    protocol: 'pop3',
    server: (socket) => socket.end(),
    message: /closed the connection before the upgrade/,
  },
];

for (const refusal of refusals) {
  test(`requestStarttls fails with a PeerError against ${refusal.title}`, async (t) => {
    const port = await listen(t, refusal.server);
    const socket = await dial(port);
    const started = Date.now();
    const error = await t.throwsAsync(
      requestStarttls(refusal.protocol, socket, { timeoutMs: refusal.timeoutMs ?? 5_000 }),
      {
        instanceOf: PeerError,
      },
    );
    t.regex(error?.message ?? '', refusal.message);
    t.true(Date.now() - started < (refusal.timeoutMs ?? 5_000) + 2_000);
    t.true(socket.destroyed);
  });
}

test('acceptStarttls answers QUIT and fails, and the client read the goodbye', async (t) => {
  const outcome = new Promise<unknown>((resolve) => {
    void listen(t, (socket) => acceptStarttls('smtp', socket).then(resolve, resolve)).then(
      async (port) => {
        const socket = await dial(port);
        socket.write('QUIT\r\n');
        t.regex(await readAll(socket), /^220 localhost ESMTP tlskit\r\n221 2\.0\.0 Bye\r\n$/);
      },
    );
  });
  const error = await outcome;
  t.true(error instanceof PeerError);
  t.regex((error as Error).message, /the client quit before STARTTLS/);
});

test('acceptStarttls (postgres) tells a client that skipped the SSLRequest why, in its protocol', async (t) => {
  const outcome = new Promise<unknown>((resolve) => {
    void listen(t, (socket) => acceptStarttls('postgres', socket).then(resolve, resolve)).then(
      async (port) => {
        const socket = await dial(port);
        const startup = Buffer.alloc(8);
        startup.writeUInt32BE(8, 0);
        startup.writeUInt32BE(0x00030000, 4);
        socket.write(startup);
        const reply = await readAll(socket);
        t.is(reply[0], 'E');
        t.regex(reply, /C28000\0MSSL is required/);
      },
    );
  });
  t.regex(String(await outcome), /StartupMessage without asking for SSL/);
});

test('acceptStarttls answers a client that never asks within the time limit', async (t) => {
  const outcome = new Promise<unknown>((resolve) => {
    void listen(t, (socket) =>
      acceptStarttls('imap', socket, { timeoutMs: 200 }).then(resolve, resolve),
    ).then(dial);
  });
  t.regex(String(await outcome), /IMAP STARTTLS: the dialogue did not finish within 200 ms/);
});

test('an unknown protocol and a host name that would break the dialogue are refused', async (t) => {
  const socket = new net.Socket();
  await t.throwsAsync(requestStarttls('gopher' as StarttlsProtocol, socket), {
    instanceOf: UsageError,
    message: /unknown STARTTLS protocol "gopher"/,
  });
  await t.throwsAsync(requestStarttls('smtp', socket, { hostname: 'a\r\nRCPT TO:<x>' }), {
    instanceOf: InputError,
  });
});

/** The first flight of a real Node TLS client, captured by a server that never answers. */
async function captureClientHello(t: { teardown(fn: () => void): void }): Promise<Buffer> {
  const captured = new Promise<Buffer>((resolve) => {
    void listen(t, (socket) => socket.once('data', resolve)).then((port) => {
      const client = tls.connect({ port, host: '127.0.0.1', servername: 'localhost' });
      client.on('error', () => {});
      t.teardown(() => client.destroy());
    });
  });
  return captured;
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
