import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { PeerError } from '../errors.js';

export interface LoopbackHandshakeOptions {
  /** The server's identity (PEM). */
  key: string | Buffer;
  cert: string | Buffer;
  /** What the client trusts (PEM certificates). */
  ca: string | Buffer | Array<string | Buffer>;
  /** The name the client asks for (SNI) and verifies the certificate against. */
  servername: string;
  host?: '127.0.0.1' | '::1';
  timeoutMs?: number;
}

/** What both sides saw, in the words of node:tls. */
export interface LoopbackHandshakeResult {
  host: string;
  port: number;
  servername: string;
  protocol: string | null;
  cipher: string;
  /** Whether the client verified the server's chain and host name. */
  authorized: boolean;
  /** Why not, when not (e.g. ERR_TLS_CERT_ALTNAME_INVALID, UNABLE_TO_VERIFY_LEAF_SIGNATURE). */
  authorizationError: string | null;
  /** The message the server sent and the client read back ("welcome!", as in Node's docs). */
  received: string;
}

const GREETING = 'welcome!\n';

/**
 * A real TLS handshake on the loopback interface: a node:tls server with the given identity on an
 * ephemeral port, and a client that trusts `ca` and verifies `servername`. The client does not
 * reject an unverified server, so the verdict is reported instead of thrown.
 */
export async function loopbackHandshake(
  options: LoopbackHandshakeOptions,
): Promise<LoopbackHandshakeResult> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer({ key: options.key, cert: options.cert }, (socket) =>
    socket.end(GREETING),
  );
  server.on('tlsClientError', () => {});
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const timer = setTimeout(() => server.close(), options.timeoutMs ?? 10_000);
  try {
    const socket = connect({
      host,
      port,
      servername: options.servername,
      ca: options.ca,
      rejectUnauthorized: false,
    });
    return await withTimeout(
      readSession(socket, host, port, options.servername),
      options.timeoutMs ?? 10_000,
      socket,
    );
  } finally {
    clearTimeout(timer);
    server.close();
  }
}

async function readSession(
  socket: TLSSocket,
  host: string,
  port: number,
  servername: string,
): Promise<LoopbackHandshakeResult> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await onceOrError(socket, 'secureConnect');
  const session = {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher().standardName,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
  };
  await onceOrError(socket, 'end');
  socket.destroy();
  return { host, port, servername, ...session, received: Buffer.concat(chunks).toString('utf8') };
}

async function onceOrError(socket: TLSSocket, event: string): Promise<void> {
  try {
    await once(socket, event);
  } catch (error) {
    throw new PeerError(`TLS handshake on loopback failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, socket: TLSSocket): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      socket.destroy();
      reject(new PeerError(`TLS handshake on loopback did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
