/**
 * tlskit-made keys and certificates in a real TLS handshake (Node's OpenSSL) on 127.0.0.1: the
 * client trusts exactly the CA we name, accepts the right host name and rejects a wrong one.
 */
import test, { type ExecutionContext } from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { errorCode } from '../../src/errors.js';
import { createCsr } from '../../src/pki/csr.js';
import { encodePrivateKey, generateKeyPair, type KeySpec } from '../../src/pki/keys.js';
import { parseSubject } from '../../src/pki/name.js';
import { parseSan } from '../../src/pki/san.js';
import { signCertificateRequest, type Signer } from '../../src/pki/sign.js';
import { makeTempDir } from '../helpers/index.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;

interface Credentials {
  key: string;
  cert: string;
  /** The trust anchor the client is given: the CA, or the self-signed certificate itself. */
  ca: string;
}

interface Outcome {
  authorized: boolean;
  /** The client's error code when the handshake was refused. */
  error?: string;
}

/** A key and CSR for `subject` in `dir`, through the library as the CLI does it. */
async function request(dir: string, name: string, spec: KeySpec, subject: string, sans: string[]) {
  const keys = await generateKeyPair(spec);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  await writeFile(key, encodePrivateKey(keys.privateKey, { format: 'pem' }));
  const made = createCsr({
    key: keys.privateKey,
    subject: parseSubject(subject),
    sans: sans.map(parseSan),
  });
  await writeFile(csr, made.pem);
  return { key, csr };
}

async function issue(csrPath: string, signer: Signer, profile = 'server'): Promise<string> {
  return (await signCertificateRequest({ csrPath, signer, profile })).pem;
}

async function selfSigned(t: ExecutionContext, spec: KeySpec): Promise<Credentials> {
  const dir = await makeTempDir(t);
  const leaf = await request(dir, 'leaf', spec, '/CN=localhost', ['localhost', '127.0.0.1']);
  const cert = await issue(leaf.csr, { selfKeyPath: leaf.key });
  return { key: await readFile(leaf.key, 'utf8'), cert, ca: cert };
}

async function caSigned(t: ExecutionContext, rootSpec: KeySpec, leafSpec: KeySpec) {
  const dir = await makeTempDir(t);
  const root = await request(dir, 'root', rootSpec, '/CN=Handshake Test CA', []);
  const rootCert = await issue(root.csr, { selfKeyPath: root.key }, 'ca');
  const rootPath = join(dir, 'root.pem');
  await writeFile(rootPath, rootCert);
  const leaf = await request(dir, 'leaf', leafSpec, '/CN=localhost', ['localhost']);
  const cert = await issue(leaf.csr, { caCertificatePath: rootPath, caKeyPath: root.key });
  return { key: await readFile(leaf.key, 'utf8'), cert, ca: rootCert };
}

/** One handshake against a server on 127.0.0.1 with the credentials; bounded by a timer. */
function handshake(
  credentials: Credentials,
  options: { servername: string; trust: boolean },
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const server = tls.createServer({ key: credentials.key, cert: credentials.cert }, (socket) =>
      socket.end(),
    );
    // The client's refusal aborts the handshake on the server's side too; that is expected.
    server.on('tlsClientError', () => {});
    let client: tls.TLSSocket | undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      client?.destroy();
      server.close();
      settle();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error('handshake timed out'))),
      HANDSHAKE_TIMEOUT_MS,
    );
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      client = tls.connect({
        host: '127.0.0.1',
        port,
        servername: options.servername,
        ...(options.trust ? { ca: [credentials.ca] } : {}),
      });
      client.once('secureConnect', () =>
        finish(() => resolve({ authorized: client?.authorized ?? false })),
      );
      client.once('error', (error) =>
        finish(() => resolve({ authorized: false, error: errorCode(error) })),
      );
    });
  });
}

const cases: Array<{
  title: string;
  make: (t: ExecutionContext) => Promise<Credentials>;
  untrusted: string;
}> = [
  {
    title: 'self-signed EC P-256',
    make: (t) => selfSigned(t, { type: 'ec' }),
    untrusted: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  },
  {
    title: 'self-signed RSA',
    make: (t) => selfSigned(t, { type: 'rsa' }),
    untrusted: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  },
  {
    title: 'RSA CA → EC leaf',
    make: (t) => caSigned(t, { type: 'rsa' }, { type: 'ec' }),
    untrusted: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  },
  {
    title: 'EC P-384 CA → Ed25519 leaf',
    make: (t) => caSigned(t, { type: 'ec', curve: 'P-384' }, { type: 'ed25519' }),
    untrusted: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  },
];

for (const { title, make, untrusted } of cases) {
  test(`${title}: trusted for localhost, refused for a wrong name or without the CA`, async (t) => {
    const credentials = await make(t);
    t.deepEqual(await handshake(credentials, { servername: 'localhost', trust: true }), {
      authorized: true,
    });
    t.deepEqual(await handshake(credentials, { servername: 'wrong.test', trust: true }), {
      authorized: false,
      error: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    t.deepEqual(await handshake(credentials, { servername: 'localhost', trust: false }), {
      authorized: false,
      error: untrusted,
    });
  });
}
