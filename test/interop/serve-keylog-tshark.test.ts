/**
 * The key log is for Wireshark: capture a loopback session with dumpcap, then let tshark decrypt
 * it with the file the server wrote, and only with it.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../../src/tls/server/start-server.js';
import { makeTempDir } from '../helpers/index.js';
import { runPeer } from './serve-helpers.js';

const CAPTURE_START_TIMEOUT_MS = 10_000;
/** libpcap hands packets over in blocks, about a second late: wait for them to reach the file. */
const CAPTURE_FLUSH_TIMEOUT_MS = 8000;
const POLL_MS = 200;

test('tshark decrypts a captured session with the --keylog file, and cannot without it', async (t) => {
  const dir = await makeTempDir(t);
  const keylog = join(dir, 'keys.log');
  const capture = join(dir, 'capture.pcapng');
  const server = await startServer({ port: 0, mode: 'http', keylog });
  t.teardown(() => server.close({ graceMs: 100 }));

  const dumpcap = await startCapture(server.port, capture);
  const ca = join(dir, 'ca.pem');
  await (await import('node:fs/promises')).writeFile(ca, server.caPem);
  const fetched = await runPeer('curl', [
    '--silent',
    '--max-time',
    '10',
    '--http1.1',
    '--cacert',
    ca,
    '--resolve',
    `localhost:${server.port}:127.0.0.1`,
    `https://localhost:${server.port}/json?captured`,
  ]);
  t.is(fetched.code, 0, fetched.stderr);
  await server.events.waitFor('close', { timeoutMs: 5000 });
  await dumpcap.stop();

  const decrypted = await tshark(capture, ['-o', `tls.keylog_file:${keylog}`]);
  t.is(decrypted.code, 0, decrypted.stderr);
  t.deepEqual(decrypted.stdout.trim().split('\n'), ['/json?captured\t', '\t200']);
  const opaque = await tshark(capture, []);
  t.is(opaque.stdout.trim(), '', 'without the key log the records stay encrypted');
});

function tshark(capture: string, options: string[]) {
  return runPeer(
    'tshark',
    [
      '-r',
      capture,
      ...options,
      '-Y',
      'http',
      '-T',
      'fields',
      '-e',
      'http.request.uri',
      '-e',
      'http.response.code',
    ],
    { timeoutMs: 30_000 },
  );
}

/** dumpcap on the loopback interface, filtered to the port, once it says it is capturing. */
async function startCapture(port: number, file: string): Promise<{ stop(): Promise<void> }> {
  const child = spawn('dumpcap', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dumpcap did not start capturing: ${stderr}`));
    }, CAPTURE_START_TIMEOUT_MS);
    child.on('error', reject);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (/Capturing on/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('close', (code) => reject(new Error(`dumpcap exited ${code}: ${stderr}`)));
  });
  const headerBytes = await headerWritten(file);
  return {
    async stop() {
      await packetsWritten(file, headerBytes);
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Until the capture file has grown past its header and then stayed the same for a poll. */
async function packetsWritten(file: string, headerBytes: number): Promise<void> {
  const deadline = Date.now() + CAPTURE_FLUSH_TIMEOUT_MS;
  let previous = headerBytes;
  while (Date.now() < deadline) {
    await new Promise((wait) => setTimeout(wait, POLL_MS));
    const size = await sizeOf(file);
    if (size > headerBytes && size === previous) return;
    previous = size;
  }
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (stats) => stats.size,
    () => 0,
  );
}

/** The size of the capture file once dumpcap has written its header. */
async function headerWritten(file: string): Promise<number> {
  const deadline = Date.now() + CAPTURE_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const size = await sizeOf(file);
    if (size > 0) return size;
    await new Promise((wait) => setTimeout(wait, POLL_MS / 4));
  }
  throw new Error(`dumpcap wrote nothing to ${file}`);
}
