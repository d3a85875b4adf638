/** node:tls clients for the server tests: connect, read until a marker, report what happened. */
import { connect, type ConnectionOptions } from 'node:tls';
import { errorCode } from '../../../../src/errors.js';

export interface ClientOutcome {
  secure: boolean;
  authorized: boolean;
  authorizationError: string | null;
  protocol: string | null;
  alpnProtocol: string | null;
  serverSubject: string | null;
  reused: boolean;
  received: string;
  /** The last session the server gave (TLS 1.3 tickets arrive after the handshake). */
  session: Buffer | undefined;
  ocspResponse: Buffer | null | undefined;
  error: string | null;
}

export interface ClientOptions extends ConnectionOptions {
  port: number;
  /** Ask for the certificate status (OCSP stapling). */
  requestOCSP?: boolean;
  /** Written once secure. */
  send?: string;
  /** Read until the received text contains this (default: the echo server's welcome). */
  until?: string;
  timeoutMs?: number;
}

/** Connects to 127.0.0.1, never throws for a TLS failure: the outcome says what happened. */
export function connectClient(options: ClientOptions): Promise<ClientOutcome> {
  const { port, send, until = 'welcome!\n', timeoutMs = 10_000, ...tlsOptions } = options;
  return new Promise((resolve, reject) => {
    const outcome: ClientOutcome = {
      secure: false,
      authorized: false,
      authorizationError: null,
      protocol: null,
      alpnProtocol: null,
      serverSubject: null,
      reused: false,
      received: '',
      session: undefined,
      ocspResponse: undefined,
      error: null,
    };
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...tlsOptions });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`client on port ${port} timed out; received ${JSON.stringify(outcome.received)}`),
      );
    }, timeoutMs);
    socket.on('session', (session: Buffer) => (outcome.session = session));
    socket.on('OCSPResponse', (response: Buffer | null) => (outcome.ocspResponse = response));
    socket.on('secureConnect', () => {
      outcome.secure = true;
      outcome.authorized = socket.authorized;
      outcome.authorizationError = socket.authorizationError
        ? String(socket.authorizationError)
        : null;
      outcome.protocol = socket.getProtocol();
      outcome.alpnProtocol = socket.alpnProtocol || null;
      outcome.serverSubject = socket.getPeerX509Certificate()?.subject.replace(/\n/g, ', ') ?? null;
      outcome.reused = socket.isSessionReused();
      if (send !== undefined) socket.write(send);
    });
    socket.on('data', (chunk: Buffer) => {
      outcome.received += chunk.toString('utf8');
      if (outcome.received.includes(until)) socket.end();
    });
    socket.on('error', (error) => (outcome.error = errorCode(error) ?? error.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(outcome);
    });
  });
}
