/**
 * openssl s_server as a ground-truth peer: a known configuration on 127.0.0.1, a free port, ready
 * when it prints ACCEPT, killed when the test ends. A missing openssl fails loudly (spawn ENOENT).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { openssl } from '../../helpers/index.js';

const READY_TIMEOUT_MS = 10_000;

export interface SServer {
  port: number;
  /** Everything s_server printed so far. */
  output(): string;
}

/** Starts `openssl s_server -www -accept 127.0.0.1:PORT ARGS…`; stops it at teardown. */
export async function startSServer(t: ExecutionContext, args: readonly string[]): Promise<SServer> {
  const server = await spawnSServer(args);
  t.teardown(() => server.stop());
  return server;
}

export interface RunningSServer extends SServer {
  stop(): void;
}

/** Starts s_server on a free port (retrying if another process takes it first); stop() kills it. */
export async function spawnSServer(args: readonly string[]): Promise<RunningSServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await freePort(), args);
    } catch (error) {
      // Another process may take the port between our check and s_server's bind.
      if (attempt === 3 || !/in use/i.test(String(error))) throw error;
    }
  }
}

/** A port that was free a moment ago, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startOnce(port: number, args: readonly string[]): Promise<RunningSServer> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-www', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openssl s_server did not start within ${READY_TIMEOUT_MS} ms: ${output}`));
    }, READY_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!ready && output.includes('ACCEPT')) {
        ready = true;
        clearTimeout(timer);
        resolve({ port, output: () => output, stop: () => child.kill('SIGKILL') });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`openssl s_server exited ${code}: ${output}`));
    });
  });
}

export interface Credentials {
  dir: string;
  rsaKey: string;
  rsaCert: string;
  ecKey: string;
  /** An ECDSA P-256 leaf for localhost, issued by `caCert`. */
  ecCert: string;
  caCert: string;
  caKey: string;
  /** A DER OCSP response saying the EC leaf is good, signed by the CA. */
  ocspResponse: string;
  /** RFC 7919 ffdhe2048 parameters for -dhparam. */
  ffdhe2048: string;
}

/**
 * Keys and certificates made by openssl itself, once per test file: a self-signed RSA leaf, a CA
 * with an ECDSA leaf, a stapled OCSP response for that leaf, and ffdhe2048 DH parameters.
 */
export async function makeCredentials(): Promise<Credentials> {
  const dir = await mkdtemp(join(tmpdir(), 'tlskit-probe-'));
  const path = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    path('rsa.key'),
    '-out',
    path('rsa.pem'),
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
    '-days',
    '30',
    '-subj',
    '/CN=tlskit probe test CA',
  ]);
  await openssl([
    'req',
    ...ec,
    '-keyout',
    path('ec.key'),
    '-out',
    path('ec.csr'),
    '-subj',
    '/CN=localhost',
  ]);
  await writeFile(path('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await openssl([
    'x509',
    '-req',
    '-in',
    path('ec.csr'),
    '-CA',
    path('ca.pem'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-out',
    path('ec.pem'),
    '-days',
    '20',
    '-extfile',
    path('ext.cnf'),
  ]);
  const serial = (await openssl(['x509', '-in', path('ec.pem'), '-noout', '-serial']))
    .trim()
    .split('=')[1];
  await writeFile(path('index.txt'), `V\t491231235959Z\t\t${serial}\tunknown\t/CN=localhost\n`);
  await openssl([
    'ocsp',
    '-issuer',
    path('ca.pem'),
    '-cert',
    path('ec.pem'),
    '-reqout',
    path('req.der'),
    '-no_nonce',
  ]);
  await openssl([
    'ocsp',
    '-index',
    path('index.txt'),
    '-rsigner',
    path('ca.pem'),
    '-rkey',
    path('ca.key'),
    '-CA',
    path('ca.pem'),
    '-reqin',
    path('req.der'),
    '-respout',
    path('ocsp.der'),
    '-ndays',
    '7',
  ]);
  await openssl([
    'genpkey',
    '-genparam',
    '-algorithm',
    'DH',
    '-pkeyopt',
    'group:ffdhe2048',
    '-out',
    path('ffdhe2048.pem'),
  ]);
  return {
    dir,
    rsaKey: path('rsa.key'),
    rsaCert: path('rsa.pem'),
    ecKey: path('ec.key'),
    ecCert: path('ec.pem'),
    caCert: path('ca.pem'),
    caKey: path('ca.key'),
    ocspResponse: path('ocsp.der'),
    ffdhe2048: path('ffdhe2048.pem'),
  };
}

export async function removeCredentials(credentials: Credentials): Promise<void> {
  await rm(credentials.dir, { recursive: true, force: true });
}
