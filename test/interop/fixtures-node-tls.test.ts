/**
 * The node-tls preset does what Node's TLS documentation and tests need: the docs' echo server
 * and client run as written (with 127.0.0.1 for the host) and both ends say `authorized`.
 */
import test from 'ava';
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { generateFixtures } from '../../src/fixtures/generate.js';
import { presetPath } from '../../src/fixtures/spec-file.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;

const folder = mkdtemp(join(tmpdir(), 'tlskit-node-tls-')).then(async (dir) => {
  await generateFixtures(presetPath('node-tls'), { outDir: dir });
  return dir;
});

test.after.always(async () => {
  await rm(await folder, { recursive: true, force: true });
});

/** fs.readFileSync(name), as the docs write it, in the fixtures folder. */
async function file(name: string): Promise<Buffer> {
  return readFile(join(await folder, name));
}

interface Outcome {
  client: {
    authorized: boolean;
    authorizationError: string | null;
    cipher: string;
    ephemeral: tls.EphemeralKeyInfo | object | null;
    received: string;
  };
  server: { authorized: boolean; authorizationError: string | null };
}

/**
 * The docs' echo server (`welcome!`, then echo) and a client that sends one line and reads the
 * welcome and the echo back, on 127.0.0.1 and an ephemeral port, bounded by a timer.
 */
async function echo(
  serverOptions: tls.TlsOptions,
  clientOptions: tls.ConnectionOptions,
): Promise<Outcome> {
  let serverSide: Outcome['server'] | undefined;
  const server = tls.createServer(serverOptions, (socket) => {
    serverSide = {
      authorized: socket.authorized,
      authorizationError: socket.authorizationError?.toString() ?? null,
    };
    socket.write('welcome!\n');
    socket.setEncoding('utf8');
    socket.pipe(socket);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no handshake within the time limit')),
        HANDSHAKE_TIMEOUT_MS,
      );
      const socket = tls.connect({ port, host: '127.0.0.1', ...clientOptions }, () => {
        socket.write('hello\n');
      });
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (received === 'welcome!\nhello\n') {
          clearTimeout(timer);
          resolve({
            client: {
              authorized: socket.authorized,
              authorizationError: socket.authorizationError?.toString() ?? null,
              cipher: socket.getCipher().name,
              ephemeral: socket.getEphemeralKeyInfo(),
              received,
            },
            server: serverSide ?? { authorized: false, authorizationError: 'no server socket' },
          });
          socket.end();
        }
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } finally {
    server.close();
  }
}

test('the docs’ echo server and client: self-signed pair, each trusting the other', async (t) => {
  const outcome = await echo(
    {
      key: await file('server-key.pem'),
      cert: await file('server-cert.pem'),
      requestCert: true,
      ca: [await file('client-cert.pem')],
    },
    {
      key: await file('client-key.pem'),
      cert: await file('client-cert.pem'),
      ca: [await file('server-cert.pem')],
    },
  );
  t.is(outcome.client.received, 'welcome!\nhello\n');
  t.deepEqual(outcome.server, { authorized: true, authorizationError: null });
  t.is(outcome.client.authorized, true);
});

test('the docs’ pfx variant: server.pfx without a passphrase', async (t) => {
  const outcome = await echo(
    { pfx: await file('server.pfx'), requestCert: true, ca: [await file('client-cert.pem')] },
    {
      key: await file('client-key.pem'),
      cert: await file('client-cert.pem'),
      ca: [await file('server-cert.pem')],
    },
  );
  t.true(outcome.server.authorized);
  t.true(outcome.client.authorized);
});

test('agent1 (signed by ca1) is trusted through ca-cert.pem; agent2 (self-signed) is not', async (t) => {
  const ca = [await file('ca-cert.pem')];
  const agent1 = await echo(
    { key: await file('agent1-key.pem'), cert: await file('agent1-cert.pem') },
    { ca },
  );
  t.true(agent1.client.authorized);
  const agent2 = await echo(
    { key: await file('agent2-key.pem'), cert: await file('agent2-cert.pem') },
    { ca, rejectUnauthorized: false, servername: 'agent2' },
  );
  t.false(agent2.client.authorized);
  t.is(agent2.client.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
});

test('mutual TLS under ca2: agent3 serves, agent4 is the client', async (t) => {
  const ca = [await file('ca-cert.pem')];
  const outcome = await echo(
    {
      key: await file('agent3-key.pem'),
      cert: await file('agent3-cert.pem'),
      requestCert: true,
      rejectUnauthorized: true,
      ca,
    },
    { key: await file('agent4-key.pem'), cert: await file('agent4-cert.pem'), ca },
  );
  t.true(outcome.server.authorized);
  t.true(outcome.client.authorized);
});

test('agent5.pfx (the docs’ pkcs12 -export example) with its passphrase', async (t) => {
  const outcome = await echo(
    { pfx: await file('agent5.pfx'), passphrase: 'sample' },
    { ca: [await file('ca-cert.pem')], servername: 'agent5', checkServerIdentity: () => undefined },
  );
  t.true(outcome.client.authorized);
});

test('dhparam.pem makes a DHE suite negotiate, with a 2048-bit group', async (t) => {
  const outcome = await echo(
    {
      key: await file('agent1-key.pem'),
      cert: await file('agent1-cert.pem'),
      dhparam: await file('dhparam.pem'),
      ciphers: 'DHE-RSA-AES128-GCM-SHA256',
      maxVersion: 'TLSv1.2',
    },
    {
      ca: [await file('ca1-cert.pem')],
      ciphers: 'DHE-RSA-AES128-GCM-SHA256',
      maxVersion: 'TLSv1.2',
    },
  );
  t.is(outcome.client.cipher, 'DHE-RSA-AES128-GCM-SHA256');
  t.deepEqual(outcome.client.ephemeral, { type: 'DH', size: 2048 });
  t.true(outcome.client.authorized);
});
