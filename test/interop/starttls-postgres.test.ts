/**
 * The PostgreSQL dialogue with the real thing, both ways: libpq (psql, sslmode=verify-full)
 * through acceptStarttls, and `connect --starttls postgres` against a PostgreSQL 15 server with
 * ssl=on. PostgreSQL refuses to run as root, so as root the server runs as the "postgres" user.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { connect } from '../../src/tls/client/connect.js';
import { acceptStarttls } from '../../src/tls/starttls/index.js';
import { runProgram } from '../helpers/index.js';
import { makeTestPki, removeTestPki, type TestPki } from '../unit/tls/client/test-pki.js';

const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const START_TIMEOUT_MS = 30_000;

let pki: TestPki | undefined;
test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

test('psql (libpq, sslmode=verify-full) upgrades through acceptStarttls and speaks over TLS', async (t) => {
  const received: Buffer[] = [];
  const context = tls.createSecureContext({ key: pki!.pem.serverKey, cert: pki!.pem.serverCert });
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    void acceptStarttls('postgres', socket).then(
      () => {
        const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
        secure.on('error', () => {});
        // The StartupMessage arrives over TLS; answer it with a FATAL ErrorResponse.
        secure.once('data', (chunk: Buffer) => {
          received.push(chunk);
          const fields = Buffer.from('SFATAL\0VFATAL\0C28000\0Mtlskit saw your StartupMessage\0\0');
          const header = Buffer.alloc(5);
          header.write('E');
          header.writeUInt32BE(4 + fields.length, 1);
          secure.end(Buffer.concat([header, fields]));
        });
      },
      () => {},
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  const result = await runProgram(
    'psql',
    [
      `hostaddr=127.0.0.1 host=localhost port=${port} user=tlskit dbname=tlskit ` +
        `sslmode=verify-full sslrootcert=${pki!.caCert} connect_timeout=10`,
      '-c',
      'select 1',
    ],
    { env: { PGGSSENCMODE: 'disable', PGPASSWORD: '' }, timeoutMs: 20_000 },
  );
  t.regex(result.stderr, /FATAL: {2}tlskit saw your StartupMessage/);
  const startup = Buffer.concat(received);
  // StartupMessage: length, protocol 3.0, then user and database as NUL-separated pairs.
  t.is(startup.readUInt32BE(4), 0x00030000);
  t.regex(startup.toString('latin1'), /user\0tlskit\0/);
});

test('connect --starttls postgres against PostgreSQL 15 with ssl=on: verified TLS', async (t) => {
  const port = await startPostgres(t);
  const summary = await connect({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    caFile: pki!.caCert,
    starttls: 'postgres',
    timeoutMs: 10_000,
  });
  t.is(summary.starttls, 'postgres');
  t.true(summary.authorized);
  t.is(summary.protocol, 'TLSv1.3');
  t.is(summary.peerCertificates[0]?.subject, 'CN=localhost');
});

/** initdb and a postgres server on 127.0.0.1 with the test PKI's server certificate. */
async function startPostgres(t: ExecutionContext): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'tlskit-postgres-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  const run = (program: string, args: string[]) =>
    asRoot
      ? (['runuser', ['-u', 'postgres', '--', program, ...args]] as const)
      : ([program, args] as const);
  if (owner) await chown(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const [initdb, initdbArgs] = run(join(POSTGRES_BIN, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
  ]);
  const init = await runProgram(initdb, initdbArgs, { timeoutMs: 60_000 });
  t.is(init.code, 0, init.stderr);
  // PostgreSQL insists that the key be private to its owner.
  for (const [from, name] of [
    [pki!.serverCert, 'server.pem'],
    [pki!.serverKey, 'server.key'],
  ] as const) {
    await copyFile(from, join(data, name));
    await chmod(join(data, name), 0o600);
    if (owner) await chown(join(data, name), owner.uid, owner.gid);
  }
  const port = await freePort();
  const [postgres, postgresArgs] = run(join(POSTGRES_BIN, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'ssl=on',
    '-c',
    'fsync=off',
    '-c',
    'ssl_cert_file=server.pem',
    '-c',
    'ssl_key_file=server.key',
  ]);
  const child = spawn(postgres, postgresArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(async () => {
    // Fast shutdown of the postmaster by its pid (runuser may not pass signals on).
    const pid = Number(
      (await readFile(join(data, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
    );
    if (pid > 0) process.kill(pid, 'SIGINT');
    child.kill('SIGINT');
    await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`postgres did not start: ${log}`)),
      START_TIMEOUT_MS,
    );
    const onOutput = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited with ${code}: ${log}`));
    });
  });
  return port;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all(
    ['-u', '-g'].map(async (flag) =>
      Number((await runProgram('id', [flag, 'postgres'])).stdout.trim()),
    ),
  );
  if (!uid || !gid) throw new Error('running as root needs a "postgres" user to run PostgreSQL');
  return { uid, gid };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}
