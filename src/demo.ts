import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, writeFilesAtomic } from './io/atomic-write.js';
import { createCsr } from './pki/csr.js';
import { keygen } from './pki/keygen.js';
import { loadPrivateKey } from './pki/keys.js';
import { parseSubject } from './pki/name.js';
import { parseSan } from './pki/san.js';
import { signCertificateRequest, type SignResult } from './pki/sign.js';
import { loopbackHandshake, type LoopbackHandshakeResult } from './tls/loopback-handshake.js';

export interface DemoOptions {
  /** Where the throwaway folder is made (default: the system's temp folder). */
  tempRoot?: string;
  /** Called as each step completes, so a CLI can show progress as it happens. */
  onStep?: (step: DemoStep) => void;
}

export interface DemoStep {
  /** What was done, e.g. "keygen": the tlskit command a user would type for it. */
  command: 'keygen' | 'csr' | 'sign' | 'handshake' | 'wrong-host';
  summary: string;
  files: string[];
}

export interface DemoResult {
  folder: string;
  steps: DemoStep[];
  certificate: Pick<SignResult, 'subject' | 'sans' | 'notAfter' | 'serial' | 'fingerprint256'>;
  handshake: LoopbackHandshakeResult;
  /** The same handshake asking for another name: verification must fail. */
  wrongHost: Pick<LoopbackHandshakeResult, 'servername' | 'authorized' | 'authorizationError'>;
  cleanedUp: boolean;
}

const HOST_NAMES = ['localhost', '127.0.0.1', '::1'];
const WRONG_HOST = 'not-localhost.test';

/**
 * The workflow from Node's TLS docs, end to end: a key, a CSR and a self-signed certificate for
 * localhost in a fresh folder, then a real node:tls handshake on 127.0.0.1 in which the client
 * trusts that certificate and verifies the host name. The folder is removed afterwards.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const folder = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'tlskit-demo-'));
  const steps: DemoStep[] = [];
  const record = (step: DemoStep) => {
    steps.push(step);
    options.onStep?.(step);
  };
  try {
    const files = {
      key: join(folder, 'localhost.key'),
      csr: join(folder, 'localhost.csr'),
      cert: join(folder, 'localhost.crt'),
    };

    const generated = await keygen({ type: 'rsa', bits: 2048, format: 'pem' });
    await writeFilesAtomic([
      { path: files.key, data: generated.privateKey, mode: SECRET_FILE_MODE },
    ]);
    record({ command: 'keygen', summary: 'a new RSA 2048-bit private key', files: [files.key] });

    const key = await loadPrivateKey(generated.privateKey, { source: files.key });
    const csr = createCsr({
      key,
      subject: parseSubject('/O=tlskit demo/CN=localhost'),
      sans: HOST_NAMES.map(parseSan),
    });
    await writeFilesAtomic([{ path: files.csr, data: csr.pem, mode: PUBLIC_FILE_MODE }]);
    record({
      command: 'csr',
      summary: 'a certificate signing request for CN=localhost',
      files: [files.csr],
    });

    const certificate = await signCertificateRequest({
      csrPath: files.csr,
      signer: { selfKeyPath: files.key },
      profile: 'server',
    });
    await writeFilesAtomic([{ path: files.cert, data: certificate.pem, mode: PUBLIC_FILE_MODE }]);
    record({
      command: 'sign',
      summary: `a self-signed certificate for ${HOST_NAMES.join(', ')}`,
      files: [files.cert],
    });

    const identity = { key: generated.privateKey, cert: certificate.pem, ca: certificate.pem };
    const handshake = await loopbackHandshake({ ...identity, servername: 'localhost' });
    record({
      command: 'handshake',
      summary: `${handshake.protocol} handshake on ${handshake.host}:${handshake.port}, ${handshake.authorized ? 'verified' : `NOT verified (${handshake.authorizationError})`}`,
      files: [],
    });

    const wrong = await loopbackHandshake({ ...identity, servername: WRONG_HOST });
    record({
      command: 'wrong-host',
      summary: `asking for ${WRONG_HOST} is refused: ${wrong.authorizationError}`,
      files: [],
    });

    return {
      folder,
      steps,
      certificate: {
        subject: certificate.subject,
        sans: certificate.sans,
        notAfter: certificate.notAfter,
        serial: certificate.serial,
        fingerprint256: certificate.fingerprint256,
      },
      handshake,
      wrongHost: {
        servername: wrong.servername,
        authorized: wrong.authorized,
        authorizationError: wrong.authorizationError,
      },
      cleanedUp: true,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
