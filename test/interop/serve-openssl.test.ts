/**
 * `openssl s_client` against tlskit's server (startServer, the code behind `tlskit serve`), with
 * openssl-made certificates: each test checks what openssl says was negotiated and what the
 * server reported about the same connection.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type ServerHandle } from '../../src/tls/server/start-server.js';
import type { ServerOptions } from '../../src/tls/server/options.js';
import { makeTempDir } from '../helpers/index.js';
import { makeOpensslPki, sClient, type OpensslPki } from './serve-helpers.js';

const WAIT = { timeoutMs: 5000 };
let pkiDir = '';
let files: OpensslPki;

test.before(async () => {
  pkiDir = await mkdtemp(join(tmpdir(), 'tlskit-serve-openssl-'));
  files = await makeOpensslPki(pkiDir);
});
test.after.always(() => rm(pkiDir, { recursive: true, force: true }));

async function serve(t: ExecutionContext, options: ServerOptions = {}): Promise<ServerHandle> {
  const server = await startServer({
    port: 0,
    identities: [{ key: files.server.key, cert: files.server.cert }],
    ...options,
  });
  t.teardown(() => server.close({ graceMs: 100 }));
  return server;
}

test('plain s_client: verified, TLS 1.3, the echo greeting; the server saw the same suite', async (t) => {
  const server = await serve(t);
  const result = await sClient(server.port, ['-CAfile', files.ca.cert, '-verify_return_error']);
  t.regex(result.stdout, /Verify return code: 0 \(ok\)/);
  t.regex(result.stdout, /New, TLSv1\.3, Cipher is (TLS_\w+)/);
  t.regex(result.stdout, /welcome!/);
  const cipher = /Cipher is (TLS_\w+)/.exec(result.stdout)?.[1];
  const secure = await server.events.waitFor('secure', WAIT);
  t.is(secure.cipher, cipher ?? 'none printed');
  t.is(secure.protocol, 'TLSv1.3');
  t.is(secure.servername, null, 's_client sends no SNI for an IP address');
});

test('-servername picks the SNI certificate; another name gets the default one', async (t) => {
  const server = await serve(t, {
    sni: [{ servername: 'api.test', key: files.api.key, cert: files.api.cert }],
  });
  const api = await sClient(server.port, [
    '-servername',
    'api.test',
    '-CAfile',
    files.ca.cert,
    '-verify_hostname',
    'api.test',
  ]);
  const other = await sClient(server.port, ['-servername', 'www.test', '-CAfile', files.ca.cert]);
  t.regex(api.stdout, /subject=CN = api\.test/);
  t.regex(api.stdout, /Verify return code: 0 \(ok\)/);
  t.regex(other.stdout, /subject=CN = localhost/);
  await server.events.waitFor('close', { where: (event) => event.connection >= 2, ...WAIT });
  t.deepEqual(
    server.events.history('secure').map((event) => [event.servername, event.certificateSubject]),
    [
      ['api.test', 'CN=api.test'],
      ['www.test', 'CN=localhost'],
    ],
  );
});

test('-alpn: the server chooses by its own preference among what the client offers', async (t) => {
  const server = await serve(t, { alpnProtocols: ['h2', 'http/1.1'] });
  const both = await sClient(server.port, ['-alpn', 'http/1.1,h2']);
  const one = await sClient(server.port, ['-alpn', 'http/1.1']);
  t.regex(both.stdout, /ALPN protocol: h2/);
  t.regex(one.stdout, /ALPN protocol: http\/1\.1/);
  await server.events.waitFor('close', { where: (event) => event.connection >= 2, ...WAIT });
  t.deepEqual(
    server.events.history('secure').map((event) => event.alpnProtocol),
    ['h2', 'http/1.1'],
  );
});

test('-cert/-key: an authorized client is logged with its subject; an untrusted one is refused, and serving goes on', async (t) => {
  const server = await serve(t, { ca: [files.ca.cert], rejectUnauthorized: true });
  const rogue = await sClient(server.port, ['-cert', files.rogue.cert, '-key', files.rogue.key], {
    closeStdinWhen: undefined,
  });
  t.notRegex(rogue.stdout, /welcome!/);
  const refused = await server.events.waitFor('clientError', WAIT);
  t.is(refused.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  const alice = await sClient(server.port, [
    '-cert',
    files.client.cert,
    '-key',
    files.client.key,
    '-CAfile',
    files.ca.cert,
  ]);
  t.regex(alice.stdout, /welcome!/);
  const secure = await server.events.waitFor('secure', WAIT);
  t.true(secure.authorized);
  t.is(secure.peerCertificate?.subject, 'CN=alice');
  t.is(secure.peerCertificate?.issuer, 'CN=Interop CA');
});

test('-reconnect, TLS 1.2 with tickets: five of six connections reused', async (t) => {
  const server = await serve(t);
  const result = await sClient(server.port, ['-tls1_2', '-reconnect']);
  t.is(count(result.stdout, /^Reused, TLSv1\.2/gm), 5);
  t.is(count(result.stdout, /^New, TLSv1\.2/gm), 1);
  await server.events.waitFor('close', { where: (event) => event.connection >= 6, ...WAIT });
  t.is(server.summary().resumed, 5);
});

test('-reconnect, TLS 1.2 by session ID: reused with --session-store, never without it', async (t) => {
  const stored = await serve(t, { sessionStore: true, tickets: false });
  const withStore = await sClient(stored.port, ['-tls1_2', '-reconnect', '-no_ticket']);
  t.is(count(withStore.stdout, /^Reused, TLSv1\.2/gm), 5);
  await stored.events.waitFor('close', { where: (event) => event.connection >= 6, ...WAIT });
  t.is(stored.summary().sessions.found, 5);
  t.is(stored.summary().sessions.stored, 1);

  const bare = await serve(t, { tickets: false });
  const withoutStore = await sClient(bare.port, ['-tls1_2', '-reconnect', '-no_ticket']);
  t.is(count(withoutStore.stdout, /^Reused/gm), 0);
  t.is(count(withoutStore.stdout, /^New, TLSv1\.2/gm), 6);
});

test('TLS 1.3 resumes with a ticket (s_client -sess_out, then -sess_in)', async (t) => {
  // OpenSSL 3.0's -reconnect does not resume TLS 1.3 even against s_server: use a session file.
  const dir = await makeTempDir(t);
  const session = `${dir}/session.pem`;
  const server = await serve(t);
  const first = await sClient(server.port, ['-sess_out', session]);
  t.regex(first.stdout, /^New, TLSv1\.3/m);
  const second = await sClient(server.port, ['-sess_in', session]);
  t.regex(second.stdout, /^Reused, TLSv1\.3/m);
  await server.events.waitFor('close', { where: (event) => event.connection >= 2, ...WAIT });
  t.deepEqual(
    server.events.history('secure').map((event) => event.resumed),
    [false, true],
  );
});

test('-status: the OCSP response made by openssl ocsp is stapled and reads "good"', async (t) => {
  const server = await serve(t, { ocspResponse: files.ocspResponse });
  const result = await sClient(server.port, ['-status', '-CAfile', files.ca.cert]);
  t.regex(result.stdout, /OCSP Response Status: successful \(0x0\)/);
  t.regex(result.stdout, /Cert Status: good/);
  const ocsp = await server.events.waitFor('ocsp', WAIT);
  t.true(ocsp.stapled);
  const plain = await sClient(server.port, ['-CAfile', files.ca.cert]);
  t.notRegex(plain.stdout, /OCSP response:/);
});

test('-starttls smtp: the plain-text dialogue, then TLS on the same connection', async (t) => {
  const server = await serve(t, { starttls: 'smtp' });
  t.regex(server.url, /^smtp:\/\//);
  const result = await sClient(server.port, ['-starttls', 'smtp', '-CAfile', files.ca.cert]);
  t.regex(result.stdout, /^New, TLSv1\.3/m);
  t.regex(result.stdout, /Verify return code: 0 \(ok\)/);
  t.regex(result.stdout, /welcome!/);
  const starttls = await server.events.waitFor('starttls', WAIT);
  t.is(starttls.protocol, 'smtp');
  const secure = await server.events.waitFor('secure', WAIT);
  t.is(secure.connection, starttls.connection);
});

test('"R" in s_client renegotiates (TLS 1.2); past the limit the server cuts the connection', async (t) => {
  const server = await serve(t);
  // s_client reads "R" lines one at a time after the handshake: feed them slowly.
  const result = await sClient(server.port, ['-tls1_2'], {
    closeStdinWhen: undefined,
    feed: { after: /welcome!\n/, chunks: Array(5).fill('R\n'), intervalMs: 200 },
  });
  t.true(
    count(result.stdout + result.stderr, /RENEGOTIATING/g) >= 4,
    'three allowed, the fourth cut',
  );
  const limit = await server.events.waitFor('renegotiation', {
    where: (event) => event.limitReached,
    ...WAIT,
  });
  t.is(limit.limit, 3);
  t.true(server.events.history('renegotiation').filter((event) => !event.limitReached).length >= 1);
  const after = await sClient(server.port, []);
  t.regex(after.stdout, /welcome!/, 'the server keeps serving');
});

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
