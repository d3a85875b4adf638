import net from 'node:net';
import { PeerError, errorCode, messageOf } from '../../errors.js';
import type { StarttlsProtocol } from '../../tls/starttls/index.js';

/** Where a scan connects: the TCP endpoint, and the STARTTLS dialogue to run first, if any. */
export interface Endpoint {
  host: string;
  port: number;
  starttls: StarttlsProtocol | null;
  /** The name STARTTLS dialogues announce (EHLO, XMPP to=). */
  starttlsHostname: string;
}

/**
 * Opens a connection that is ready for a ClientHello: TCP, then the STARTTLS dialogue. Scans use
 * the default; tests inject their own. Rejects with a PeerError whose `code` property tells
 * "refused" from "timed out" from "STARTTLS failed".
 */
export type Connector = (endpoint: Endpoint, timeoutMs: number) => Promise<net.Socket>;

export class ConnectError extends PeerError {
  constructor(
    message: string,
    /** `ECONNREFUSED`, `ETIMEDOUT`, `STARTTLS`… */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(message, { cause, hint: 'check the host, the port and that the server is up' });
  }
}

export const connectTcp: Connector = async (endpoint, timeoutMs) => {
  const socket = await openTcp(endpoint, timeoutMs);
  if (!endpoint.starttls) return socket;
  const { requestStarttls } = await import('../../tls/starttls/index.js');
  try {
    await requestStarttls(endpoint.starttls, socket, {
      timeoutMs,
      hostname: endpoint.starttlsHostname,
    });
  } catch (error) {
    socket.destroy();
    throw new ConnectError(
      `STARTTLS (${endpoint.starttls}): ${messageOf(error)}`,
      'STARTTLS',
      error,
    );
  }
  return socket;
};

function openTcp(endpoint: Endpoint, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // allowHalfOpen: a scan may send its hello, close its side, and still read the answer.
    const socket = net.connect({ host: endpoint.host, port: endpoint.port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectError(`no TCP connection within ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      const reason = errorCode(error) ?? 'ERROR';
      reject(new ConnectError(connectFailure(reason, error), reason, error));
    });
  });
}

function connectFailure(reason: string, error: unknown): string {
  if (reason === 'ECONNREFUSED') return 'connection refused';
  if (reason === 'ENOTFOUND' || reason === 'EAI_AGAIN') return 'host name not found';
  return messageOf(error);
}
