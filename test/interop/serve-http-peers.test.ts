/**
 * `curl --cacert` and `gnutls-cli` against tlskit's HTTP mode: the JSON and HTML they fetch
 * must describe the very connection they made (protocol, ALPN, SNI, client certificate).
 */
import test, { type ExecutionContext } from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionDescription } from '../../src/tls/server/http-mode.js';
import type { ServerOptions } from '../../src/tls/server/options.js';
import { startServer, type ServerHandle } from '../../src/tls/server/start-server.js';
import { makeOpensslPki, runPeer, type OpensslPki } from './serve-helpers.js';

let pkiDir = '';
let files: OpensslPki;

test.before(async () => {
  pkiDir = await mkdtemp(join(tmpdir(), 'tlskit-serve-http-'));
  files = await makeOpensslPki(pkiDir);
});
test.after.always(() => rm(pkiDir, { recursive: true, force: true }));

async function serveHttp(t: ExecutionContext, options: ServerOptions = {}): Promise<ServerHandle> {
  const server = await startServer({
    port: 0,
    mode: 'http',
    identities: [{ key: files.server.key, cert: files.server.cert }],
    ...options,
  });
  t.teardown(() => server.close({ graceMs: 100 }));
  return server;
}

function curl(server: ServerHandle, path: string, args: string[] = []) {
  return runPeer('curl', [
    '--silent',
    '--show-error',
    '--max-time',
    '10',
    '--cacert',
    files.ca.cert,
    '--resolve',
    `localhost:${server.port}:127.0.0.1`,
    ...args,
    `https://localhost:${server.port}${path}`,
  ]);
}

test('curl (h2 by ALPN): the JSON describes TLS 1.3, h2, SNI localhost', async (t) => {
  const server = await serveHttp(t);
  const result = await curl(server, '/json');
  t.is(result.code, 0, result.stderr);
  const description = JSON.parse(result.stdout) as ConnectionDescription;
  t.is(description.tls.protocol, 'TLSv1.3');
  t.is(description.tls.alpnProtocol, 'h2');
  t.is(description.tls.servername, 'localhost');
  t.is(description.request.httpVersion, '2.0');
  t.regex(description.request.userAgent ?? '', /^curl\//);
  const secure = await server.events.waitFor('secure');
  t.is(secure.cipher, description.tls.cipher);
});

test('curl --http1.1 --tls-max 1.2: the page says TLS 1.2 over http/1.1', async (t) => {
  const server = await serveHttp(t);
  const json = await curl(server, '/json', ['--http1.1', '--tlsv1.2', '--tls-max', '1.2']);
  const description = JSON.parse(json.stdout) as ConnectionDescription;
  t.is(description.tls.protocol, 'TLSv1.2');
  t.is(description.tls.alpnProtocol, 'http/1.1');
  t.is(description.request.httpVersion, '1.1');
  t.regex(description.tls.cipherName, /^ECDHE-ECDSA-/);
  const html = await curl(server, '/', ['--http1.1', '--tlsv1.2', '--tls-max', '1.2']);
  t.regex(html.stdout, /<th>Protocol<\/th><td>TLSv1\.2<\/td>/);
  t.regex(html.stdout, /<th>ALPN<\/th><td>http\/1\.1<\/td>/);
});

test('curl with a client certificate: the JSON names it and says it is authorized', async (t) => {
  const server = await serveHttp(t, { ca: [files.ca.cert], requestCert: true });
  const result = await curl(server, '/json', [
    '--cert',
    files.client.cert,
    '--key',
    files.client.key,
  ]);
  const description = JSON.parse(result.stdout) as ConnectionDescription;
  t.true(description.tls.authorized);
  t.is(description.tls.peerCertificate?.subject, 'CN=alice');
  const without = JSON.parse((await curl(server, '/json')).stdout) as ConnectionDescription;
  t.is(without.tls.peerCertificate, null);
  t.false(without.tls.authorized);
});

test('curl resumes a TLS 1.3 session on its second URL (one process, two connections)', async (t) => {
  const server = await serveHttp(t);
  const closeEach = ['--http1.1', '-H', 'Connection: close'];
  const result = await curl(server, '/json', [
    ...closeEach,
    `https://localhost:${server.port}/json`,
    '--next',
    '--cacert',
    files.ca.cert,
    '--resolve',
    `localhost:${server.port}:127.0.0.1`,
    ...closeEach,
  ]);
  const [first, second] = result.stdout
    .split(/\n(?=\{)/)
    .map((text) => JSON.parse(text) as ConnectionDescription);
  t.is(first?.tls.protocol, 'TLSv1.3');
  t.false(first?.tls.resumed);
  t.true(second?.tls.resumed);
  t.not(first?.connection, second?.connection);
});

test('gnutls-cli: HTTP/1.1 by ALPN; the JSON matches what GnuTLS negotiated', async (t) => {
  const server = await serveHttp(t);
  const result = await runPeer(
    'gnutls-cli',
    [
      '--x509cafile',
      files.ca.cert,
      '--alpn',
      'http/1.1',
      '--port',
      String(server.port),
      'localhost',
    ],
    {
      input: 'GET /json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      closeStdinWhen: /"userAgent"[\s\S]*\}\s*\}\s*$/,
    },
  );
  t.regex(result.stderr + result.stdout, /Description: \(TLS1\.3-X\.509\)/);
  const description = jsonIn(result.stdout);
  t.is(description.tls.protocol, 'TLSv1.3');
  t.is(description.tls.alpnProtocol, 'http/1.1');
  t.is(description.tls.servername, 'localhost');
  t.is(description.request.userAgent, null);
});

test('gnutls-cli with TLS 1.2 only: the server reports TLS 1.2 and an ECDHE-ECDSA GCM suite', async (t) => {
  const server = await serveHttp(t);
  const result = await runPeer(
    'gnutls-cli',
    [
      '--x509cafile',
      files.ca.cert,
      '--priority',
      'NORMAL:-VERS-TLS1.3',
      '--alpn',
      'http/1.1',
      '--port',
      String(server.port),
      'localhost',
    ],
    {
      input: 'GET /json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      closeStdinWhen: /"userAgent"[\s\S]*\}\s*\}\s*$/,
    },
  );
  t.regex(result.stdout, /Description: \(TLS1\.2-X\.509\)-\(ECDHE-SECP256R1\)-\(ECDSA-/);
  const description = jsonIn(result.stdout);
  t.is(description.tls.protocol, 'TLSv1.2');
  t.regex(
    description.tls.cipher,
    /^TLS_ECDHE_ECDSA_WITH_(AES_\d+_GCM_SHA\d+|CHACHA20_POLY1305_SHA256)$/,
  );
});

/** The JSON body in gnutls-cli's output, between its notes. */
function jsonIn(output: string): ConnectionDescription {
  return JSON.parse(
    output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1),
  ) as ConnectionDescription;
}
