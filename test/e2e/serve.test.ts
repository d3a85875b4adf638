/**
 * `tlskit serve` as a user runs it: JSON lines, human lines, --once, Ctrl-C with a summary, and
 * one-line errors with their exit codes for bad flags and files.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { makeTempDir, repoRoot, runTlskit } from '../helpers/index.js';
import { sClient, startServe, type JsonLine } from '../interop/serve-helpers.js';
import { connectClient } from '../unit/tls/server/tls-clients.js';

test.serial(
  '--json --once: one JSON object per line, from listening to the summary, then exit 0',
  async (t) => {
    const serve = await startServe(['--port', '0', '--once', '--self-signed', '--alpn', 'h2']);
    t.teardown(() => serve.stop('SIGKILL'));
    const { listening } = serve;
    t.is(listening.type, 'listening');
    t.regex(listening.url, /^tls:\/\/127\.0\.0\.1:\d+\/$/);
    t.regex(listening.caPem, /^-----BEGIN CERTIFICATE-----/);
    const outcome = await connectClient({
      port: listening.port,
      ca: listening.caPem,
      ALPNProtocols: ['h2'],
    });
    t.true(outcome.authorized);
    const result = await serve.exited;
    t.is(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JsonLine);
    t.deepEqual(
      lines.map((line) => line.type),
      ['listening', 'connection', 'secure', 'close', 'summary'],
    );
    const secure = lines[2] as JsonLine;
    t.like(secure, {
      protocol: 'TLSv1.3',
      alpnProtocol: 'h2',
      servername: 'localhost',
      resumed: false,
      worker: null,
    });
    t.like(lines[4] as JsonLine, {
      type: 'summary',
      connections: 1,
      secureConnections: 1,
      alpnProtocols: { h2: 1 },
    });
    t.is(result.stderr, '');
  },
);

test.serial(
  'human lines: the listening line with the certificate, one line per event, the summary',
  async (t) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin/run.js'), 'serve', '--port', '0', '--once', '--self-signed'],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    t.teardown(() => child.kill('SIGKILL'));
    let stdout = '';
    const listening = new Promise<number>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const port = /listening +tls:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1];
        if (port) resolve(Number(port));
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await connectClient({ port: await listening, rejectUnauthorized: false });
    const code = await exited;
    clearTimeout(killer);
    t.is(code, 0);
    t.regex(stdout, /^\d\d:\d\d:\d\d\.\d{3} +listening +tls:\/\/127\.0\.0\.1:\d+\/ \(echo\)$/m);
    t.regex(
      stdout,
      /^ +certificate +O=tlskit serve, CN=localhost · ec P-256 · self-signed \(in memory\) · until \d{4}-\d\d-\d\d$/m,
    );
    t.regex(stdout, /^ +try +openssl s_client -connect 127\.0\.0\.1:\d+ -servername localhost$/m);
    t.regex(stdout, /^\d\d:\d\d:\d\d\.\d{3} #1 +connection +from 127\.0\.0\.1:\d+$/m);
    t.regex(
      stdout,
      /^\d\d:\d\d:\d\d\.\d{3} #1 +secure +TLSv1\.3 TLS_AES_\w+ · sni localhost · new session$/m,
    );
    t.regex(
      stdout,
      /^\d\d:\d\d:\d\d\.\d{3} #1 +close +after \d+ ms · \d+ bytes in, \d+ out \(data 0 in, 9 out\)$/m,
    );
    t.regex(stdout, /^Served 1 connection in [\d.]+ m?s: 1 secure, 0 resumed, 0 failed$/m);
    t.false(stdout.includes('\u001b['), 'no colour codes with NO_COLOR');
  },
);

test.serial('Ctrl-C: open connections are ended, the summary printed, exit 0', async (t) => {
  const serve = await startServe(['--port', '0', '--self-signed']);
  t.teardown(() => serve.stop('SIGKILL'));
  const client = connect({
    host: '127.0.0.1',
    port: serve.listening.port,
    rejectUnauthorized: false,
  });
  const ended = new Promise<string>((resolve) => {
    let text = '';
    client.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    client.on('end', () => resolve(text));
    client.on('error', () => resolve(text));
  });
  await serve.waitForLine((line) => line.type === 'secure');
  const result = await serve.stop('SIGINT');
  t.is(result.code, 0, result.stderr);
  t.is(await ended, 'welcome!\n', 'the client read the welcome, then an orderly end');
  client.destroy();
  const last = JSON.parse(result.stdout.trim().split('\n').pop() as string) as JsonLine;
  t.like(last, { type: 'summary', connections: 1, secureConnections: 1, openConnections: 0 });
  t.not(last.stoppedAt, null);
});

test.serial(
  'a plain-TCP client, garbage and a stalled client are logged; a good connection works after',
  async (t) => {
    const serve = await startServe(['--port', '0', '--self-signed', '--handshake-timeout', '400']);
    t.teardown(() => serve.stop('SIGKILL'));
    const port = serve.listening.port;
    await rawClient(port, 'HELO example.test\r\n');
    await rawClient(port, Buffer.from('16030100050100000100', 'hex'));
    await rawClient(port, undefined);
    const good = await sClient(port, []);
    t.regex(good.stdout, /welcome!/);
    await serve.waitForLine((line) => line.type === 'secure');
    const errors = serve.lines().filter((line) => line.type === 'clientError');
    t.deepEqual(
      errors.map((line) => line.code),
      ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_LENGTH_TOO_SHORT', 'ERR_TLS_HANDSHAKE_TIMEOUT'],
    );
    t.true(
      errors.every(
        (line) => typeof line.reason === 'string' && !String(line.reason).includes('\n'),
      ),
    );
  },
);

const USAGE_ERRORS: Array<[string, string[], RegExp]> = [
  [
    'a key without a certificate',
    ['--port', '0', '--key', 'a.key'],
    /^tlskit: 1 --key and 0 --cert: give them in pairs/,
  ],
  [
    'a malformed --sni',
    ['--port', '0', '--sni', 'api.test'],
    /^tlskit: --sni "api\.test" is not HOST=CERT,KEY/,
  ],
  [
    'a port out of range',
    ['--port', '70000'],
    /^tlskit: --port 70000 is not a whole number from 0 to 65535/,
  ],
  [
    'a cipher string OpenSSL rejects',
    ['--port', '0', '--ciphers', 'BOGUS'],
    /^tlskit: --ciphers BOGUS: /,
  ],
  [
    'identities that exclude each other',
    ['--port', '0', '--self-signed', '--pfx', 'x.p12'],
    /^tlskit: give one identity/,
  ],
];

for (const [what, args, message] of USAGE_ERRORS) {
  test.serial(`usage error, exit 2: ${what}`, async (t) => {
    const result = await runTlskit(['serve', ...args]);
    t.is(result.code, 2, result.stderr);
    t.regex(result.stderr, message);
    t.is(result.stderr.trim().split('\n').length, 1);
    t.is(result.stdout, '');
  });
}

test.serial(
  'bad input, exit 3: a missing key file, a ticket key file of the wrong size',
  async (t) => {
    const dir = await makeTempDir(t);
    const missing = await runTlskit([
      'serve',
      '--port',
      '0',
      '--key',
      join(dir, 'no.key'),
      '--cert',
      join(dir, 'no.crt'),
    ]);
    t.is(missing.code, 3);
    t.is(missing.stderr, `tlskit: ${join(dir, 'no.key')}: no such file\n`);
    const keys = join(dir, 'ticket.keys');
    await writeFile(keys, Buffer.alloc(32));
    const short = await runTlskit(['serve', '--port', '0', '--ticket-keys', keys]);
    t.is(short.code, 3);
    t.regex(
      short.stderr,
      /holds 32 bytes; ticket keys are exactly 48 \(make a file with: head -c 48 \/dev\/urandom > ticket\.keys\)\n$/,
    );
  },
);

test.serial('a port already in use, exit 5, with the JSON error under --json', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const human = await runTlskit(['serve', '--port', String(port)]);
  t.is(human.code, 5);
  t.is(
    human.stderr,
    `tlskit: 127.0.0.1:${port} is already in use (choose another --port, or --port 0 for any free one)\n`,
  );
  const json = await runTlskit(['serve', '--port', String(port), '--json']);
  t.is(json.code, 5);
  t.deepEqual(JSON.parse(json.stdout), {
    error: {
      code: 'PEER',
      message: `127.0.0.1:${port} is already in use`,
      hint: 'choose another --port, or --port 0 for any free one',
    },
  });
});

/** A plain TCP client that sends `data` (if any) and waits for the server to close (at most 3 s). */
function rawClient(port: number, data: string | Buffer | undefined): Promise<void> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      if (data !== undefined) socket.write(data);
    });
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
