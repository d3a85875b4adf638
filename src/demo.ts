import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, writeFilesAtomic } from './io/atomic-write.js';
import { initCa } from './pki/ca/init.js';
import { issueFromCa } from './pki/ca/issue.js';
import { createCsr } from './pki/csr.js';
import { keygen } from './pki/keygen.js';
import { loadPrivateKey } from './pki/keys.js';
import { parseSubject } from './pki/name.js';
import { parseSan } from './pki/san.js';
import { connect, type ConnectionSummary } from './tls/client/index.js';
import { startServer } from './tls/server/start-server.js';
import type { ServerSummary } from './tls/server/summary.js';

export interface DemoOptions {
  /** Where the throwaway folder is made (default: the system's temp folder). */
  tempRoot?: string;
  /** Called as each step completes, so a CLI can show progress as it happens. */
  onStep?: (step: DemoStep) => void;
}

export interface DemoStep {
  /** The tlskit command a user would type for this step (`ca init`, `serve`, `connect`…). */
  command: 'ca init' | 'keygen' | 'csr' | 'ca issue' | 'serve' | 'connect' | 'connect --reconnect';
  summary: string;
  files: string[];
}

export interface DemoResult {
  folder: string;
  steps: DemoStep[];
  /** What the client saw: protocol, cipher, verification, the echo, and the resumed reconnect. */
  client: ConnectionSummary;
  /** What the server counted, at shut-down. */
  server: ServerSummary;
  cleanedUp: boolean;
}

const GREETING = 'hello from tlskit';
const SERVER_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * tlskit end to end, in a throwaway folder: a CA; a server key, CSR and certificate for
 * localhost; a client certificate; a server on an ephemeral loopback port that requires client
 * certificates; a client that verifies the server and presents its own; one echo round trip;
 * a reconnect that resumes the session; both sides' summaries; and a clean shut-down.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const folder = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'tlskit-demo-'));
  const steps: DemoStep[] = [];
  const record = (step: DemoStep) => {
    steps.push(step);
    options.onStep?.(step);
  };
  try {
    const caDir = join(folder, 'ca');
    const ca = await initCa({ dir: caDir, subject: '/CN=tlskit demo CA' });
    const caCert = join(caDir, 'ca.cert.pem');
    record({ command: 'ca init', summary: `a throwaway CA, "${ca.subject}"`, files: [caCert] });

    const server = await makeServerCertificate(folder, caDir, record);
    const client = await issueFromCa({
      dir: caDir,
      commonName: 'demo client',
      profile: 'client',
      out: join(folder, 'client'),
    });
    record({
      command: 'ca issue',
      summary: `a client certificate for "${client.subject}"`,
      files: [client.files.certificate, client.files.key ?? ''],
    });

    return await serveAndConnect(folder, steps, record, {
      caCert,
      serverKey: server.key,
      serverChain: server.fullchain,
      clientCert: client.files.certificate,
      clientKey: client.files.key ?? '',
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** keygen → csr → ca issue: the openssl workflow of Node's docs, with a CA instead of -signkey. */
async function makeServerCertificate(
  folder: string,
  caDir: string,
  record: (step: DemoStep) => void,
): Promise<{ key: string; fullchain: string }> {
  const keyPath = join(folder, 'localhost.key');
  const csrPath = join(folder, 'localhost.csr');
  const generated = await keygen({ type: 'ec', curve: 'P-256', format: 'pem' });
  await writeFilesAtomic([{ path: keyPath, data: generated.privateKey, mode: SECRET_FILE_MODE }]);
  record({ command: 'keygen', summary: 'a new EC P-256 private key', files: [keyPath] });

  const key = await loadPrivateKey(generated.privateKey, { source: keyPath });
  const csr = createCsr({
    key,
    subject: parseSubject('/O=tlskit demo/CN=localhost'),
    sans: SERVER_NAMES.map(parseSan),
  });
  await writeFilesAtomic([{ path: csrPath, data: csr.pem, mode: PUBLIC_FILE_MODE }]);
  record({
    command: 'csr',
    summary: 'a certificate signing request for localhost',
    files: [csrPath],
  });

  const issued = await issueFromCa({ dir: caDir, csrPath, out: join(folder, 'localhost') });
  record({
    command: 'ca issue',
    summary: `a server certificate for ${SERVER_NAMES.join(', ')}`,
    files: [issued.files.certificate],
  });
  return { key: keyPath, fullchain: issued.files.fullchain };
}

interface DemoFiles {
  caCert: string;
  serverKey: string;
  serverChain: string;
  clientCert: string;
  clientKey: string;
}

async function serveAndConnect(
  folder: string,
  steps: DemoStep[],
  record: (step: DemoStep) => void,
  files: DemoFiles,
): Promise<DemoResult> {
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    identities: [{ key: files.serverKey, cert: files.serverChain }],
    ca: [files.caCert],
    rejectUnauthorized: true,
  });
  try {
    record({
      command: 'serve',
      summary: `an echo server on ${server.url}, requiring client certificates`,
      files: [],
    });
    const client = await connect({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      caFile: files.caCert,
      certFile: files.clientCert,
      keyFile: files.clientKey,
      send: `${GREETING}\n`,
      expect: new RegExp(GREETING),
      reconnect: 1,
    });
    const verdict = client.authorized ? 'verified' : `NOT verified (${client.authorizationError})`;
    record({
      command: 'connect',
      summary: `${client.protocol} with ${client.cipher.standardName}, server ${verdict}, echo ${client.exchange?.matched ? 'received' : 'MISSING'}`,
      files: [],
    });
    const again = client.reconnects[0];
    record({
      command: 'connect --reconnect',
      summary: again?.resumed ? 'the session was resumed' : 'the session was NOT resumed',
      files: [],
    });
    return { folder, steps, client, server: await server.close(), cleanedUp: true };
  } finally {
    await server.close();
  }
}
