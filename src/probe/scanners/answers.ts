import type { ServerHello } from '../messages/server-hello.js';
import type { ExchangeOutcome } from '../transport/exchange.js';
import { alertName } from '../registry/alerts.js';
import { versionName } from '../registry/versions.js';

/** How a scan reads one hello's outcome. */
export type Verdict =
  | { kind: 'accepted'; serverHello: ServerHello; outcome: ExchangeOutcome & { kind: 'handshake' } }
  /** The server said no: an alert, a silent close, or another version than asked for. */
  | { kind: 'refused'; reason: string }
  /** No usable answer: time-out, reset mid-answer, garbage, too much data. */
  | { kind: 'failed'; reason: string }
  /** No connection at all. */
  | { kind: 'unreachable'; reason: string };

/**
 * Judges an outcome against the version asked for. A server that answers a TLS 1.1 hello with
 * TLS 1.2 has refused TLS 1.1; one that sends a fatal alert or closes at once has refused
 * whatever was offered.
 */
export function judge(outcome: ExchangeOutcome, expectedVersion: number): Verdict {
  switch (outcome.kind) {
    case 'handshake': {
      const hello = outcome.serverHello;
      if (hello.version !== expectedVersion) {
        return { kind: 'refused', reason: `answered with ${versionName(hello.version)}` };
      }
      return { kind: 'accepted', serverHello: hello, outcome };
    }
    case 'alert':
      return { kind: 'refused', reason: `alert ${alertName(outcome.alert.description)}` };
    case 'closed':
    case 'reset':
      if (outcome.receivedBytes === 0) {
        return {
          kind: 'refused',
          reason: outcome.kind === 'closed' ? 'connection closed' : 'connection reset',
        };
      }
      return {
        kind: 'failed',
        reason: `connection ${outcome.kind} after ${outcome.receivedBytes} bytes, mid-answer`,
      };
    case 'sslv2':
      return { kind: 'refused', reason: 'answered in SSLv2' };
    default:
      return failure(outcome);
  }
}

/** Describes an outcome that carries no answer. */
export function failure(outcome: ExchangeOutcome): Verdict {
  switch (outcome.kind) {
    case 'timeout':
      return {
        kind: 'failed',
        reason:
          outcome.receivedBytes === 0
            ? 'no answer in time'
            : `answer incomplete in time (${outcome.receivedBytes} bytes)`,
      };
    case 'malformed':
      return { kind: 'failed', reason: `malformed answer: ${outcome.message}` };
    case 'too-large':
      return {
        kind: 'failed',
        reason: `the server kept sending (${outcome.receivedBytes} bytes) without a complete answer`,
      };
    case 'connect-failed':
      return { kind: 'unreachable', reason: outcome.message };
    default:
      return { kind: 'failed', reason: `unexpected ${outcome.kind}` };
  }
}
