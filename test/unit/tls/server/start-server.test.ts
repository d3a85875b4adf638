/**
 * startServer() in this process against node:tls clients on 127.0.0.1: each test asserts what
 * was negotiated and what the server reported, not just that something connected.
 */
import test, { type ExecutionContext } from 'ava';
import { readFile, stat } from 'node:fs/promises';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { startServer, type ServerHandle } from '../../../../src/tls/server/start-server.js';
import type { ServerOptions } from '../../../../src/tls/server/options.js';
import { makeTempDir } from '../../../helpers/index.js';
import { testPki } from './test-pki.js';
import { connectClient } from './tls-clients.js';

const WAIT = { timeoutMs: 5000 };

async function serve(t: ExecutionContext, options: ServerOptions = {}): Promise<ServerHandle> {
  const server = await startServer({ host: '127.0.0.1', port: 0, ...options });
  t.teardown(() => server.close({ graceMs: 100 }));
  return server;
}

async function pkiServerOptions(extra: ServerOptions = {}): Promise<ServerOptions> {
  const pki = await testPki();
  return {
    identities: [{ key: Buffer.from(pki.serverEc.key), cert: Buffer.from(pki.serverEc.cert) }],
    ...extra,
  };
}

test('echo: welcome, then every byte back; the events tell the story in order', async (t) => {
  const server = await serve(t, { selfSigned: true });
  const outcome = await connectClient({
    port: server.port,
    ca: server.caPem,
    send: 'ping\n',
    until: 'ping\n',
  });
  t.true(outcome.authorized, 'the client verifies the self-signed certificate through caPem');
  t.is(outcome.received, 'welcome!\nping\n');
  const close = await server.events.waitFor('close', WAIT);
  t.is(close.plaintextBytesRead, 5);
  t.is(close.plaintextBytesWritten, 14);
  t.true(close.bytesRead > close.plaintextBytesRead, 'wire bytes include the TLS records');
  t.true(close.secure);
  const types = server.events.history().map((event) => event.type);
  t.deepEqual(
    types.filter((type) => ['listening', 'connection', 'secure', 'close'].includes(type)),
    ['listening', 'connection', 'secure', 'close'],
  );
  const secure = await server.events.waitFor('secure');
  t.is(secure.protocol, 'TLSv1.3');
  t.is(secure.servername, 'localhost');
  t.is(secure.certificateSubject, 'O=tlskit serve, CN=localhost');
  t.false(secure.resumed);
  t.is(secure.worker, null);
  t.is(secure.connection, close.connection);
  t.regex(server.url, /^tls:\/\/127\.0\.0\.1:\d+\/$/);
});

test('the summary counts connections, protocols and bytes; close() returns it', async (t) => {
  const server = await startServer({ port: 0 });
  await connectClient({ port: server.port, ca: server.caPem });
  await connectClient({ port: server.port, ca: server.caPem, maxVersion: 'TLSv1.2' });
  await server.events.waitFor('close', { where: (event) => event.connection >= 2, ...WAIT });
  const summary = await server.close();
  t.is(summary.type, 'summary');
  t.is(summary.connections, 2);
  t.is(summary.secureConnections, 2);
  t.deepEqual(summary.protocols, { 'TLSv1.3': 1, 'TLSv1.2': 1 });
  t.is(summary.openConnections, 0);
  t.is(summary.plaintextBytesWritten, 18);
  t.not(summary.stoppedAt, null);
  t.is(await server.close(), summary, 'close() twice gives the same summary');
  t.is(await server.closed, summary);
});

test('the default ciphers are Mozilla intermediate: no CBC suite for TLS 1.2', async (t) => {
  const server = await serve(t);
  const cbc = await connectClient({
    port: server.port,
    ca: server.caPem,
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-ECDSA-AES128-SHA',
  });
  t.false(cbc.secure);
  const error = await server.events.waitFor('clientError', WAIT);
  t.is(error.code, 'ERR_SSL_NO_SHARED_CIPHER');
  t.is(error.reason, 'no shared cipher');
});

test('ciphers node-default reproduces a stock Node server (CBC suites accepted)', async (t) => {
  const server = await serve(t, { ciphers: 'node-default' });
  const cbc = await connectClient({
    port: server.port,
    ca: server.caPem,
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-ECDSA-AES128-SHA',
  });
  t.true(cbc.secure);
  const secure = await server.events.waitFor('secure', WAIT);
  t.is(secure.cipherName, 'ECDHE-ECDSA-AES128-SHA');
  t.is(secure.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA');
});

test('client certificates: authorized, unverified, and refused under rejectUnauthorized', async (t) => {
  const pki = await testPki();
  const lenient = await serve(
    t,
    await pkiServerOptions({ requestCert: true, ca: [Buffer.from(pki.caCert)] }),
  );
  await connectClient({ port: lenient.port, ca: pki.caCert, ...pki.client });
  await connectClient({ port: lenient.port, ca: pki.caCert, ...pki.rogue });
  await lenient.events.waitFor('close', { where: (event) => event.connection >= 2, ...WAIT });
  const [alice, mallory] = lenient.events.history('secure');
  t.true(alice?.authorized);
  t.is(alice?.peerCertificate?.subject, 'O=tlskit tests, CN=alice');
  t.is(alice?.peerCertificate?.issuer, 'O=tlskit tests, CN=Test CA');
  t.false(mallory?.authorized);
  t.is(mallory?.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  t.deepEqual(lenient.summary().clientCertificates, { authorized: 1, unauthorized: 1 });

  const strict = await serve(
    t,
    await pkiServerOptions({ rejectUnauthorized: true, ca: [Buffer.from(pki.caCert)] }),
  );
  const refused = await connectClient({ port: strict.port, ca: pki.caCert, ...pki.rogue });
  t.is(refused.received, '', 'the rogue client reads nothing');
  const error = await strict.events.waitFor('clientError', WAIT);
  t.is(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  t.is(error.reason, 'client certificate rejected');
  const good = await connectClient({ port: strict.port, ca: pki.caCert, ...pki.client });
  t.is(good.received, 'welcome!\n', 'the server keeps serving after refusing one');
});

test('sigalgs: a server limited to RSA-PSS refuses a client offering only PKCS#1 v1.5', async (t) => {
  const pki = await testPki();
  const server = await serve(t, {
    identities: [{ key: Buffer.from(pki.serverRsa.key), cert: Buffer.from(pki.serverRsa.cert) }],
    sigalgs: 'RSA-PSS+SHA256',
    maxVersion: 'TLSv1.2',
  });
  const pss = await connectClient({ port: server.port, ca: pki.caCert, sigalgs: 'RSA-PSS+SHA256' });
  t.true(pss.authorized);
  const pkcs1 = await connectClient({ port: server.port, ca: pki.caCert, sigalgs: 'RSA+SHA256' });
  t.false(pkcs1.secure);
  const refused = await server.events.waitFor('clientError', WAIT);
  t.regex(refused.reason, /no suitable signature algorithm|no shared signature algorithms/);
});

test('SNI picks the certificate by name, wildcards included; ALPN picks the protocol', async (t) => {
  const pki = await testPki();
  const server = await serve(
    t,
    await pkiServerOptions({
      sni: [
        { servername: 'api.test', key: Buffer.from(pki.api.key), cert: Buffer.from(pki.api.cert) },
        {
          servername: '*.apps.test',
          key: Buffer.from(pki.wildcard.key),
          cert: Buffer.from(pki.wildcard.cert),
        },
      ],
      alpnProtocols: ['h2', 'http/1.1'],
    }),
  );
  const api = await connectClient({
    port: server.port,
    ca: pki.caCert,
    servername: 'api.test',
    ALPNProtocols: ['http/1.1'],
  });
  const wild = await connectClient({
    port: server.port,
    ca: pki.caCert,
    servername: 'shop.apps.test',
  });
  const plain = await connectClient({
    port: server.port,
    ca: pki.caCert,
    ALPNProtocols: ['h2', 'http/1.1'],
  });
  t.is(api.serverSubject, 'CN=api.test');
  t.true(api.authorized);
  t.is(api.alpnProtocol, 'http/1.1');
  t.is(wild.serverSubject, 'CN=*.apps.test');
  t.true(wild.authorized);
  t.is(plain.serverSubject, 'CN=localhost');
  t.is(plain.alpnProtocol, 'h2');
  await server.events.waitFor('close', { where: (event) => event.connection >= 3, ...WAIT });
  const secure = server.events.history('secure');
  t.deepEqual(
    secure.map((event) => [event.servername, event.certificateSubject, event.alpnProtocol]),
    [
      ['api.test', 'CN=api.test', 'http/1.1'],
      ['shop.apps.test', 'CN=*.apps.test', null],
      ['localhost', 'CN=localhost', 'h2'],
    ],
  );
});

test('an RSA and an ECDSA certificate on one server: the client picks by what it accepts', async (t) => {
  const pki = await testPki();
  const server = await serve(t, {
    identities: [
      { key: Buffer.from(pki.serverEc.key), cert: Buffer.from(pki.serverEc.cert) },
      { key: Buffer.from(pki.serverRsa.key), cert: Buffer.from(pki.serverRsa.cert) },
    ],
  });
  const rsa = await connectClient({
    port: server.port,
    ca: pki.caCert,
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
  });
  const ec = await connectClient({
    port: server.port,
    ca: pki.caCert,
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  });
  t.true(rsa.authorized && ec.authorized);
  await server.events.waitFor('close', { where: (event) => event.connection >= 2, ...WAIT });
  t.deepEqual(
    server.events.history('secure').map((event) => event.cipher),
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  );
  t.deepEqual(
    server.identities.map((identity) => identity.key),
    ['ec P-256', 'rsa 2048'],
  );
});

test('TLS 1.2 resumes by session ID from the store when tickets are off', async (t) => {
  const server = await serve(t, { sessionStore: true, tickets: false, maxVersion: 'TLSv1.2' });
  const first = await connectClient({ port: server.port, ca: server.caPem });
  const second = await connectClient({
    port: server.port,
    ca: server.caPem,
    session: first.session,
  });
  t.false(first.reused);
  t.true(second.reused);
  await server.events.waitFor('close', { where: (event) => event.connection >= 2, ...WAIT });
  t.deepEqual(
    server.events.history('secure').map((event) => event.resumed),
    [false, true],
  );
  t.deepEqual(
    server.events.history('session').map((event) => event.action),
    ['missed', 'stored', 'found'],
  );
});

test('without the store (and without tickets) TLS 1.2 cannot resume: Node keeps no cache', async (t) => {
  const server = await serve(t, { tickets: false, maxVersion: 'TLSv1.2' });
  const first = await connectClient({ port: server.port, ca: server.caPem });
  const second = await connectClient({
    port: server.port,
    ca: server.caPem,
    session: first.session,
  });
  t.false(second.reused);
});

test('TLS 1.3 resumes with a ticket; tickets from given ticket keys survive a restart', async (t) => {
  const dir = await makeTempDir(t);
  const keys = join(dir, 'ticket.keys');
  await (await import('node:fs/promises')).writeFile(keys, Buffer.alloc(48, 7));
  const pki = await testPki();
  const options = await pkiServerOptions({ ticketKeys: keys });
  const before = await startServer({ port: 0, ...options });
  const first = await connectClient({ port: before.port, ca: pki.caCert });
  const again = await connectClient({ port: before.port, ca: pki.caCert, session: first.session });
  await before.close();
  const after = await serve(t, options);
  const restarted = await connectClient({
    port: after.port,
    ca: pki.caCert,
    session: first.session,
  });
  t.is(first.protocol, 'TLSv1.3');
  t.true(again.reused);
  t.true(restarted.reused, 'the same ticket keys decrypt the old ticket');
  const secure = await after.events.waitFor('secure', WAIT);
  t.true(secure.resumed);
});

test('http mode: JSON and HTML describe the connection; Accept picks JSON at /', async (t) => {
  const server = await serve(t, { mode: 'http' });
  t.regex(server.url, /^https:\/\//);
  const json = await get(server, '/json');
  t.is(json.status, 200);
  t.is(json.type, 'application/json');
  const description = JSON.parse(json.body);
  t.is(description.tls.protocol, 'TLSv1.3');
  t.is(description.tls.alpnProtocol, 'http/1.1');
  t.is(description.tls.servername, 'localhost');
  t.is(description.request.path, '/json');
  t.is(description.request.httpVersion, '1.1');
  t.is(description.connection, 1);
  const html = await get(server, '/');
  t.regex(html.type, /^text\/html/);
  t.regex(html.body, /<th>Protocol<\/th><td>TLSv1\.3<\/td>/);
  t.regex(html.body, /<th>SNI<\/th><td>localhost<\/td>/);
  const negotiated = await get(server, '/', { accept: 'application/json' });
  t.is(JSON.parse(negotiated.body).request.path, '/');
  t.is((await get(server, '/nope')).status, 404);
  t.is((await get(server, '/', {}, 'POST')).status, 405);
});

test('a custom handler replaces the mode', async (t) => {
  const server = await serve(t, {
    onSecureConnection: (socket) => socket.end(`hello ${socket.getProtocol()}\n`),
  });
  const outcome = await connectClient({ port: server.port, ca: server.caPem, until: '\n' });
  t.is(outcome.received, 'hello TLSv1.3\n');
  t.is((await server.events.waitFor('listening')).mode, 'custom');
});

test('bad peers are logged and the server keeps serving', async (t) => {
  const server = await serve(t, { handshakeTimeout: 300 });
  await rawExchange(server.port, 'GET / HTTP/1.0\r\n\r\n');
  await rawExchange(server.port, Buffer.alloc(64, 0x42));
  const started = Date.now();
  await rawExchange(server.port, undefined, 3000);
  const stalledFor = Date.now() - started;
  const good = await connectClient({ port: server.port, ca: server.caPem });
  t.is(good.received, 'welcome!\n');
  const errors = server.events.history('clientError').map((event) => event.code);
  t.deepEqual(errors, [
    'ERR_SSL_HTTP_REQUEST',
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'ERR_TLS_HANDSHAKE_TIMEOUT',
  ]);
  t.true(
    stalledFor >= 250 && stalledFor < 2500,
    `the stalled client was cut after ${stalledFor} ms`,
  );
});

test('maxConnections drops what is beyond it, and says so', async (t) => {
  const server = await serve(t, { maxConnections: 1, handshakeTimeout: 2000 });
  const holder = netConnect(server.port, '127.0.0.1');
  await server.events.waitFor('connection', WAIT);
  await rawExchange(server.port, undefined, 2000);
  const drop = await server.events.waitFor('drop', WAIT);
  t.is(drop.remoteAddress, '127.0.0.1');
  holder.destroy();
});

test('once: the server stops by itself after the first connection', async (t) => {
  const server = await startServer({ port: 0, once: true });
  await connectClient({ port: server.port, ca: server.caPem });
  const summary = await withTimeout(server.closed, 5000);
  t.is(summary.connections, 1);
  t.not(summary.stoppedAt, null);
});

test('keylog: NSS key log lines for every secret, in a 0600 file', async (t) => {
  const dir = await makeTempDir(t);
  const keylog = join(dir, 'keys.log');
  const server = await startServer({ port: 0, keylog });
  await connectClient({ port: server.port, ca: server.caPem });
  await connectClient({ port: server.port, ca: server.caPem, maxVersion: 'TLSv1.2' });
  await server.close();
  const lines = (await readFile(keylog, 'utf8')).trim().split('\n');
  const labels = new Set(lines.map((line) => line.split(' ')[0]));
  t.true(labels.has('CLIENT_HANDSHAKE_TRAFFIC_SECRET'));
  t.true(labels.has('SERVER_TRAFFIC_SECRET_0'));
  t.true(labels.has('CLIENT_RANDOM'), 'TLS 1.2 logs the master secret');
  t.true(lines.every((line) => /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$/.test(line)));
  t.is((await stat(keylog)).mode & 0o777, 0o600);
});

test('OCSP stapling: the response reaches a client that asks, not one that does not', async (t) => {
  const response = Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x06]); // OCSPResponse: unauthorized (6)
  const server = await serve(t, { ocspResponse: response });
  const asking = await connectClient({ port: server.port, ca: server.caPem, requestOCSP: true });
  t.deepEqual(asking.ocspResponse, response);
  const ocsp = await server.events.waitFor('ocsp', WAIT);
  t.true(ocsp.stapled);
  t.is(ocsp.bytes, 5);
  const silent = await connectClient({ port: server.port, ca: server.caPem });
  t.is(silent.ocspResponse, undefined);
});

test('TLS 1.2 renegotiations are counted, and the limit is reported when hit', async (t) => {
  const server = await serve(t, { maxVersion: 'TLSv1.2' });
  const { connect } = await import('node:tls');
  const socket = connect({
    host: '127.0.0.1',
    port: server.port,
    ca: server.caPem,
    servername: 'localhost',
  });
  socket.on('error', () => {});
  socket.on('data', () => {});
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  for (let round = 0; round < 3; round++) {
    await new Promise<void>((resolve, reject) =>
      socket.renegotiate({}, (error) => (error ? reject(error) : resolve())),
    );
  }
  socket.renegotiate({}, () => {});
  const limit = await server.events.waitFor('renegotiation', {
    where: (event) => event.limitReached,
    ...WAIT,
  });
  t.is(limit.limit, 3);
  const counts = server.events.history('renegotiation').map((event) => event.count);
  t.deepEqual(counts, [1, 2, 3, 3]);
  await server.events.waitFor('close', WAIT);
  t.is(server.summary().renegotiationLimitHits, 1);
  socket.destroy();
});

test('two workers share the port and the ticket keys: a ticket one issued resumes on the other', async (t) => {
  const server = await serve(t, { workers: 2 });
  t.is(server.workers, 2);
  const first = await connectClient({ port: server.port, ca: server.caPem });
  const issuer = (await server.events.waitFor('secure', WAIT)).worker;
  // The kernel gives each connection to whichever worker accepts first: try until the other does.
  for (let seen = 2; seen <= 30; seen++) {
    const again = await connectClient({
      port: server.port,
      ca: server.caPem,
      session: first.session,
    });
    t.true(again.reused);
    const secure = () => server.events.history('secure');
    await server.events.waitFor('secure', { where: () => secure().length >= seen, ...WAIT });
    const latest = secure()[seen - 1];
    if (latest?.worker !== issuer) {
      t.true(latest?.resumed, 'resumed on the worker that did not issue the ticket');
      return;
    }
  }
  t.fail('every connection went to the same worker');
});

// ---------------------------------------------------------------------------------------------

function get(
  server: ServerHandle,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method,
        headers,
        ca: server.caPem,
        servername: 'localhost',
        agent: new HttpsAgent({ ALPNProtocols: ['http/1.1'] }),
        timeout: 5000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: String(response.headers['content-type']),
            body,
          }),
        );
      },
    );
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.end();
  });
}

/** A plain TCP client: sends `data` (if any) and waits for the server to close, at most `timeoutMs`. */
function rawExchange(port: number, data?: string | Buffer, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      if (data !== undefined) socket.write(data);
    });
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
