import { EventEmitter } from 'node:events';
import { PeerError } from '../../errors.js';
import type { IdentitySummary } from './identity.js';

/**
 * One structured event per happening on a tlskit server. Every event has `type`, `time` (ISO
 * 8601) and `worker` (the node:cluster worker id, or null in a single process); events about one
 * connection also carry `connection`, a number counted per worker from 1. These field names are
 * the `--json` interface of `tlskit serve`: keep them stable.
 */
export type ServerEvent =
  | ListeningEvent
  | ConnectionEvent
  | StarttlsEvent
  | SecureEvent
  | SessionEvent
  | OcspEvent
  | ClientErrorEvent
  | RenegotiationEvent
  | SocketErrorEvent
  | CloseEvent
  | DropEvent
  | WorkerExitEvent;

export type ServerEventType = ServerEvent['type'];

/** The event of a given type: `EventOf<'secure'>` is SecureEvent. */
export type EventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

interface BaseEvent {
  time: string;
  worker: number | null;
}

interface ConnectionScoped extends BaseEvent {
  connection: number;
}

export interface ListeningEvent extends BaseEvent {
  type: 'listening';
  host: string;
  port: number;
  url: string;
  mode: 'echo' | 'http' | 'custom';
  /** How many processes accept connections (1 without --workers). */
  workers: number;
  starttls: string | null;
  pid: number;
  /** The certificates the server presents. */
  identities: IdentitySummary[];
  /** The certificate a client should trust to verify the server (PEM). */
  caPem: string;
}

export interface ConnectionEvent extends ConnectionScoped {
  type: 'connection';
  remoteAddress: string | null;
  remotePort: number | null;
}

/** The plain-text STARTTLS dialogue ended with the client asking to upgrade. */
export interface StarttlsEvent extends ConnectionScoped {
  type: 'starttls';
  protocol: string;
}

/** A peer certificate, as the server saw it. */
export interface PeerCertificateSummary {
  /** `CN=client, O=tlskit` (most significant attribute first, as Node's X509Certificate lists). */
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  validTo: string;
}

/** What a completed handshake negotiated, in the words of node:tls. */
export interface SecureConnectionDetails {
  /** `TLSv1.3`, `TLSv1.2`… */
  protocol: string | null;
  /** The IANA name (`TLS_AES_256_GCM_SHA384`, `TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`). */
  cipher: string;
  /** OpenSSL's name, as `openssl s_client` prints it (`ECDHE-ECDSA-AES128-GCM-SHA256`). */
  cipherName: string;
  /** The ALPN protocol agreed on, or null. */
  alpnProtocol: string | null;
  /** The SNI name the client asked for, or null. */
  servername: string | null;
  /** The session was resumed (an ID from the store, or a ticket). */
  resumed: boolean;
  /** The client's certificate verified against --ca (false when it sent none). */
  authorized: boolean;
  /** Why not, when a certificate was requested (e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE). */
  authorizationError: string | null;
  peerCertificate: PeerCertificateSummary | null;
  /** The subject of the certificate this server presented (SNI and key type pick it). */
  certificateSubject: string | null;
}

export interface SecureEvent extends ConnectionScoped, SecureConnectionDetails {
  type: 'secure';
}

/** The in-memory session store (--session-store) saved or looked up a session ID. */
export interface SessionEvent extends BaseEvent {
  type: 'session';
  action: 'stored' | 'found' | 'missed';
  /** Hex. */
  sessionId: string;
}

/** A client asked for the certificate status (status_request) and got the staple, or none. */
export interface OcspEvent extends BaseEvent {
  type: 'ocsp';
  stapled: boolean;
  bytes: number;
}

/** The connection failed before or during the handshake (Node's `tlsClientError`). */
export interface ClientErrorEvent extends ConnectionScoped {
  type: 'clientError';
  /** Node's or OpenSSL's code: ERR_SSL_WRONG_VERSION_NUMBER, ERR_TLS_HANDSHAKE_TIMEOUT… */
  code: string | null;
  /** One line saying what happened. */
  reason: string;
}

/**
 * A TLS 1.2 renegotiation completed (`count` so far on this connection), or the client went past
 * tls.CLIENT_RENEG_LIMIT within tls.CLIENT_RENEG_WINDOW and Node cut the connection
 * (`limitReached`).
 */
export interface RenegotiationEvent extends ConnectionScoped {
  type: 'renegotiation';
  count: number;
  limitReached: boolean;
  limit: number;
  windowSeconds: number;
}

/**
 * An error on an established connection (a reset, a bad record). Not called 'error': the event
 * log is an EventEmitter, which throws an 'error' event nobody listens to.
 */
export interface SocketErrorEvent extends ConnectionScoped {
  type: 'socketError';
  code: string | null;
  reason: string;
}

export interface CloseEvent extends ConnectionScoped {
  type: 'close';
  durationMs: number;
  /** TCP bytes, TLS records included. */
  bytesRead: number;
  bytesWritten: number;
  /** Application data inside TLS. */
  plaintextBytesRead: number;
  plaintextBytesWritten: number;
  /** The handshake completed on this connection. */
  secure: boolean;
}

/** A connection refused because --max-connections were open. */
export interface DropEvent extends BaseEvent {
  type: 'drop';
  remoteAddress: string | null;
  remotePort: number | null;
}

/** A worker process ended while the server was running. */
export interface WorkerExitEvent extends BaseEvent {
  type: 'workerExit';
  code: number | null;
  signal: string | null;
}

/** Distributes the omitted fields over every member of a union (Omit on a union merges it). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a server part reports it; time and worker are filled in by the log. */
export type NewServerEvent = DistributiveOmit<ServerEvent, 'time' | 'worker'>;

export interface WaitForOptions<E> {
  /** Only an event for which this returns true. */
  where?: (event: E) => boolean;
  /** Default 10 s. */
  timeoutMs?: number;
}

/** Events kept for `history()` and `waitFor()`: enough for a test, bounded for a long run. */
const HISTORY_LIMIT = 10_000;
const DEFAULT_WAIT_MS = 10_000;

/**
 * The server's event stream: an EventEmitter that emits every event as `'event'` and under its
 * own type (`'secure'`, `'close'`…), keeps the recent ones, and lets a test wait for one.
 * `events.on(log, 'secure')` from node:events iterates them asynchronously.
 */
export class ServerEventLog extends EventEmitter {
  private readonly kept: ServerEvent[] = [];

  /** Records an event made elsewhere (a worker's, relayed by the primary). */
  record(event: ServerEvent): ServerEvent {
    this.kept.push(event);
    // Trimmed in batches: shifting a long array on every event would cost a busy server dearly.
    if (this.kept.length >= 2 * HISTORY_LIMIT)
      this.kept.splice(0, this.kept.length - HISTORY_LIMIT);
    this.emit('event', event);
    this.emit(event.type, event);
    return event;
  }

  /** The events seen so far (at least the most recent HISTORY_LIMIT), optionally of one type. */
  history<T extends ServerEventType>(type?: T): Array<EventOf<T>> {
    const all = [...this.kept] as Array<EventOf<T>>;
    return type === undefined ? all : all.filter((event) => event.type === type);
  }

  /**
   * The first event of `type` (matching `where`), already seen or still to come. Rejects with a
   * PeerError after `timeoutMs`.
   */
  waitFor<T extends ServerEventType>(
    type: T,
    options: WaitForOptions<EventOf<T>> = {},
  ): Promise<EventOf<T>> {
    const matches = (event: EventOf<T>) => options.where?.(event) ?? true;
    const seen = this.history(type).find(matches);
    if (seen) return Promise.resolve(seen);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const listener = (event: EventOf<T>) => {
        if (!matches(event)) return;
        clearTimeout(timer);
        this.off(type, listener);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.off(type, listener);
        reject(new PeerError(`no ${type} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on(type, listener);
    });
  }
}

/** Stamps a reported event with the time and the worker. */
export function stampEvent(
  event: NewServerEvent,
  worker: number | null,
  now: () => Date,
): ServerEvent {
  const { type, ...fields } = event;
  // type, time and worker first: the order of each JSON line.
  return { type, time: now().toISOString(), worker, ...fields } as ServerEvent;
}
