/**
 * Node's own TLS loads our modern PKCS#12 file (`tls.createServer({pfx, passphrase})`) and serves
 * a handshake that a client trusting only the root accepts: the intermediate from the file is
 * sent too. Node cannot load RC2 (legacy) files at all; our 3DES variant it can.
 */
import test, { type ExecutionContext } from 'ava';
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { encodePrivateKey } from '../../src/pki/keys.js';
import { exportPfx, type PfxFormat } from '../../src/pki/pkcs12/pfx-export.js';
import { makeChain, type TestChain } from '../helpers/chains.js';
import { makeTempDir } from '../helpers/index.js';

const PASS = 'node-pass';
const HANDSHAKE_TIMEOUT_MS = 10_000;

async function ourPfx(
  t: ExecutionContext,
  format: PfxFormat,
): Promise<{ pfx: Buffer; chain: TestChain }> {
  const dir = await makeTempDir(t);
  const chain = await makeChain({ leaf: { subject: '/CN=localhost', sans: ['DNS:localhost'] } });
  const key = join(dir, 'leaf.key');
  const cert = join(dir, 'leaf.pem');
  const intermediate = join(dir, 'intermediate.pem');
  await writeFile(key, encodePrivateKey(chain.leaf.key, { format: 'pem' }));
  await writeFile(cert, chain.leaf.pem);
  await writeFile(intermediate, chain.intermediate.pem);
  const result = await exportPfx({
    keyPath: key,
    certificatePath: cert,
    chainPaths: [intermediate],
    passphrase: async () => PASS,
    format,
  });
  return { pfx: result.der, chain };
}

interface Outcome {
  authorized: boolean;
  authorizationError: string | null;
  fingerprint256: string;
}

/** One handshake on 127.0.0.1 with a server built from the PFX, bounded by a timer. */
async function handshake(pfx: Buffer, ca: string): Promise<Outcome> {
  const server = tls.createServer({ pfx, passphrase: PASS }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Outcome>((resolve, reject) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca,
        rejectUnauthorized: false,
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('handshake timed out'));
      }, HANDSHAKE_TIMEOUT_MS);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        const error = socket.authorized ? null : String(socket.authorizationError);
        resolve({
          authorized: socket.authorized,
          authorizationError: error,
          fingerprint256: socket.getPeerCertificate().fingerprint256,
        });
        socket.end();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

for (const format of ['modern', 'legacy-3des'] as const) {
  test(`tls.createServer({pfx}) serves a verified handshake from our ${format} file`, async (t) => {
    const { pfx, chain } = await ourPfx(t, format);
    const outcome = await handshake(pfx, chain.root.pem);
    t.is(outcome.authorizationError, null);
    t.true(outcome.authorized);
    t.is(outcome.fingerprint256, new X509Certificate(chain.leaf.der).fingerprint256);
  });
}

test('a client trusting another root does not authorise it (the check above could fail)', async (t) => {
  const { pfx } = await ourPfx(t, 'modern');
  const other = await makeChain();
  const outcome = await handshake(pfx, other.root.pem);
  t.false(outcome.authorized);
});

test('Node cannot load an RC2 (legacy) file: why tlskit pfx import exists', async (t) => {
  const { pfx } = await ourPfx(t, 'legacy');
  t.throws(() => tls.createSecureContext({ pfx, passphrase: PASS }), {
    message: /Unsupported PKCS12 PFX data/,
  });
});

test('a wrong passphrase is refused by Node too', async (t) => {
  const { pfx } = await ourPfx(t, 'modern');
  t.throws(() => tls.createSecureContext({ pfx, passphrase: 'wrong' }), {
    message: /mac verify failure/i,
  });
});
