import type { Socket } from 'node:net';
import { errorCode, messageOf } from '../../errors.js';
import type { Alert } from '../messages/alert.js';
import type { HandshakeMessage } from '../messages/handshake.js';
import type { ServerHello } from '../messages/server-hello.js';
import type { Sslv2ServerMessage } from '../messages/sslv2.js';
import { isProbeParseError } from '../wire/probe-parse-error.js';
import { ConnectError, type Connector, type Endpoint } from './connector.js';
import { FlightReader, type ReadUntil } from './flight-reader.js';

/** Everything one ClientHello can come to. Never thrown: returned, so a scan can go on. */
export type ExchangeOutcome =
  | { kind: 'handshake'; serverHello: ServerHello; messages: HandshakeMessage[] }
  | { kind: 'alert'; alert: Alert; serverHello: ServerHello | null }
  | { kind: 'sslv2'; message: Sslv2ServerMessage }
  /** The server closed the connection (FIN) before answering in full. */
  | { kind: 'closed'; receivedBytes: number }
  /** The connection was reset (RST) before an answer. */
  | { kind: 'reset'; receivedBytes: number }
  | { kind: 'timeout'; receivedBytes: number }
  /** The bytes did not parse: garbage, a bogus length, a protocol violation. */
  | { kind: 'malformed'; message: string; receivedBytes: number }
  /** More than maxBytes arrived without settling anything. */
  | { kind: 'too-large'; receivedBytes: number }
  | { kind: 'connect-failed'; reason: string; message: string };

export interface ExchangeOptions {
  until: ReadUntil;
  /** Connect, STARTTLS and answer must all happen within this. */
  timeoutMs: number;
  /** Stop reading once this many bytes arrived. */
  maxBytes: number;
  /**
   * Close our sending side right after the hello (TCP half-close). The server still answers,
   * then sees end-of-file instead of waiting for our next flight: openssl s_server otherwise
   * holds each connection until it times out, and serves one connection at a time.
   */
  halfClose: boolean;
}

/**
 * Connects, sends one ClientHello, reads until the answer settles what the probe asked, and closes
 * the connection at once (never waiting for the server's next move).
 */
export async function exchangeHello(
  connector: Connector,
  endpoint: Endpoint,
  hello: Uint8Array,
  options: ExchangeOptions,
): Promise<ExchangeOutcome> {
  const started = Date.now();
  let socket: Socket;
  try {
    socket = await connector(endpoint, options.timeoutMs);
  } catch (error) {
    if (error instanceof ConnectError && error.reason === 'ETIMEDOUT') {
      return { kind: 'timeout', receivedBytes: 0 };
    }
    const reason = error instanceof ConnectError ? error.reason : (errorCode(error) ?? 'ERROR');
    return { kind: 'connect-failed', reason, message: messageOf(error) };
  }
  const remaining = Math.max(1, options.timeoutMs - (Date.now() - started));
  return readAnswer(socket, hello, { ...options, timeoutMs: remaining });
}

function readAnswer(
  socket: Socket,
  hello: Uint8Array,
  options: ExchangeOptions,
): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    const reader = new FlightReader(options.until, options.maxBytes);
    let receivedBytes = 0;
    let settled = false;
    const settle = (outcome: ExchangeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout', receivedBytes }), options.timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.length;
      try {
        const result = reader.push(chunk);
        if (result) settle(result);
        else if (receivedBytes > options.maxBytes) settle({ kind: 'too-large', receivedBytes });
      } catch (error) {
        // Parsers throw only ProbeParseError; anything else is a tlskit bug, still kept in the report.
        const message = isProbeParseError(error)
          ? error.message
          : `parser failure: ${messageOf(error)}`;
        settle({ kind: 'malformed', message, receivedBytes });
      }
    });
    socket.on('end', () => settle({ kind: 'closed', receivedBytes }));
    socket.on('error', (error) => {
      const code = errorCode(error);
      if (code === 'ECONNRESET' || code === 'EPIPE') settle({ kind: 'reset', receivedBytes });
      else settle({ kind: 'closed', receivedBytes });
    });
    socket.on('close', () => settle({ kind: 'closed', receivedBytes }));
    // A STARTTLS dialogue hands the socket over paused; a data listener alone does not resume it.
    socket.resume();
    if (options.halfClose) socket.end(hello);
    else socket.write(hello);
  });
}
