import {
  checkServerIdentity,
  connect as tlsConnect,
  type ConnectionOptions,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { PeerError } from '../../errors.js';
import { requestStarttls } from '../starttls/index.js';
import {
  closedDuringHandshake,
  connectFailure,
  timeoutFailure,
  verificationFailure,
  verificationReason,
  type ConnectPhase,
} from './failure.js';
import type { KeylogSink } from './keylog.js';
import { describeOcspResponse, notStapled, type OcspSummary } from './ocsp.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectOptions } from './options.js';
import { summarizeHandshake, type HandshakeSummary } from './summary.js';
import { formatAddress, isIpAddress } from './target.js';

/** What the --send/--expect exchange saw. */
export interface ExchangeSummary {
  sentBytes: number;
  /** What the server sent, as UTF-8 text (at most MAX_EXCHANGE_BYTES). */
  received: string;
  receivedBytes: number;
  /** The --expect pattern's source, if any. */
  expected: string | null;
  /** Null without --expect. */
  matched: boolean | null;
  /** Why reading stopped. */
  ended: 'matched' | 'closed' | 'timeout' | 'limit';
}

export interface RenegotiationSummary {
  ok: boolean;
  error: string | null;
}

export interface PipeSummary {
  sentBytes: number;
  receivedBytes: number;
}

/** One live, verified (or --insecure) TLS connection. */
export interface TlsConnection {
  readonly socket: TLSSocket;
  readonly summary: HandshakeSummary;
  /** The newest resumable session from the server on this connection, else the one offered. */
  readonly session: Buffer | undefined;
  /** Sends `send`, then reads until `expect` matches, the peer closes or the time is up. */
  exchange(
    send: Buffer | undefined,
    expect: RegExp | undefined,
    timeoutMs: number,
  ): Promise<ExchangeSummary>;
  /** TLS 1.2 and older: one renegotiation (TLS 1.3 has none, RFC 8446 §4.1). */
  renegotiate(timeoutMs: number): Promise<RenegotiationSummary>;
  /**
   * Copies `input` to the server and the server to `output` until the server closes. When input
   * ends, sends close_notify and waits at most `timeoutMs` for the server to finish.
   */
  pipe(input: Readable, output: Writable, timeoutMs: number): Promise<PipeSummary>;
  /** Sends close_notify and waits (briefly) for the server to close. */
  close(): Promise<void>;
}

/** What every connection of one `connect` call shares. */
export interface ConnectionPlan {
  options: ConnectOptions;
  address: string;
  /** Trust, client identity, ciphers, versions and groups: built once, so bad values fail early. */
  secureContext: SecureContext;
  keylog: KeylogSink | undefined;
}

/** The --send/--expect reader keeps at most this much of what the server says. */
export const MAX_EXCHANGE_BYTES = 1024 * 1024;
/** Tickets follow the handshake within about one round trip; never wait less than this. */
const MIN_SETTLE_MS = 250;
const CLOSE_WAIT_MS = 1_000;

/**
 * Connects (TCP or Unix socket), runs the STARTTLS dialogue if asked, and completes a TLS
 * handshake, all within the time limit; then checks the verdict (unless --insecure) and, for
 * TLS 1.3, waits a moment for the server's tickets — or its alert, since a TLS 1.3 server
 * rejects a client certificate only after the client has finished the handshake.
 */
export async function establishConnection(
  plan: ConnectionPlan,
  session: Buffer | undefined,
): Promise<TlsConnection> {
  const { options, address } = plan;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const started = performance.now();
  const remaining = () => Math.max(1, Math.ceil(started + timeoutMs - performance.now()));
  const transport = await openTransport(options, address, timeoutMs);
  if (options.starttls) {
    try {
      await requestStarttls(options.starttls, transport, {
        timeoutMs: remaining(),
        hostname: options.starttlsName ?? starttlsNameFor(options),
      });
    } catch (error) {
      transport.destroy();
      if (!(error instanceof PeerError)) throw error;
      // The dialogue had what was left of the time limit; say the limit the user gave.
      if (performance.now() - started >= timeoutMs)
        throw timeoutFailure(address, 'starttls', timeoutMs);
      throw new PeerError(`${address}: ${error.message}`, { hint: error.hint, cause: error });
    }
  }
  const host = options.host ?? 'localhost';
  const servername = serverNameFor(options);
  const connectionOptions: ConnectionOptions & { requestOCSP?: boolean } = {
    socket: transport,
    // The name the certificate is checked against when no SNI is sent (an IP address).
    host: options.unixPath ? (servername ?? host) : host,
    servername: servername ?? undefined,
    secureContext: plan.secureContext,
    ALPNProtocols: options.alpn ? [...options.alpn] : undefined,
    session,
    requestOCSP: options.requestOcsp,
    // Verified below, so that --insecure can still say why a peer is not trusted.
    rejectUnauthorized: false,
  };
  // tls.connect passes requestOCSP on to its TLSSocket; @types/node lists it only there.
  const socket = tlsConnect(connectionOptions);
  const observer = observe(socket, plan.keylog, Boolean(options.requestOcsp));
  await waitForHandshake(socket, address, remaining(), timeoutMs);
  const connectMs = performance.now() - started;
  const authorizationReason = checkVerdict(socket, plan, servername ?? host);
  if (socket.getProtocol() === 'TLSv1.3' && !observer.session) {
    await settle(
      socket,
      observer,
      address,
      Math.min(remaining(), Math.max(MIN_SETTLE_MS, connectMs)),
    );
  }
  if (options.maxSendFragment !== undefined) socket.setMaxSendFragment(options.maxSendFragment);
  const summary = summarizeHandshake(socket, {
    address,
    servername,
    starttls: options.starttls ?? null,
    sessionOffered: session !== undefined,
    authorizationReason,
    ocsp: observer.ocsp,
    // A resumed TLS 1.2 session may bring no new ticket: the session in use is the one offered.
    session: observer.session ?? (socket.isSessionReused() ? session : undefined),
    connectMs,
    maxSendFragment: options.maxSendFragment ?? null,
  });
  return liveConnection(socket, summary, observer, session, address);
}

export function addressOf(options: ConnectOptions): string {
  if (options.unixPath) return `unix:${options.unixPath}`;
  return formatAddress(options.host ?? 'localhost', options.port ?? 0);
}

/** SNI: the option, else the host unless it is an IP address (RFC 6066 §3). */
function serverNameFor(options: ConnectOptions): string | null {
  if (options.servername === false) return null;
  if (options.servername !== undefined) return options.servername;
  const host = options.host ?? 'localhost';
  return options.unixPath || !isIpAddress(host) ? host : null;
}

/** XMPP's to= is the server's domain; SMTP's EHLO names the client (left to the default). */
function starttlsNameFor(options: ConnectOptions): string | undefined {
  return options.starttls === 'xmpp' ? (serverNameFor(options) ?? undefined) : undefined;
}

function openTransport(
  options: ConnectOptions,
  address: string,
  timeoutMs: number,
): Promise<net.Socket> {
  const socket = options.unixPath
    ? net.connect({ path: options.unixPath })
    : net.connect({ host: options.host ?? 'localhost', port: options.port ?? 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(timeoutFailure(address, 'connect', timeoutMs));
    }, timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(connectFailure(error, address, 'connect'));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** What the socket reported along the way, recorded from the start so nothing is missed. */
interface Observer {
  ocsp: OcspSummary | null;
  session: Buffer | undefined;
  /** An error after the handshake, kept for whoever reads next. */
  error: Error | undefined;
}

function observe(
  socket: TLSSocket,
  keylog: KeylogSink | undefined,
  requestOcsp: boolean,
): Observer {
  const observer: Observer = {
    ocsp: requestOcsp ? notStapled() : null,
    session: undefined,
    error: undefined,
  };
  if (keylog) socket.on('keylog', (line: Buffer) => keylog.write(line));
  // Node emits null when the server staples nothing.
  socket.on('OCSPResponse', (response: Buffer | null) => {
    if (response && response.length > 0) observer.ocsp = describeOcspResponse(response);
  });
  socket.on('session', (session: Buffer) => {
    observer.session = session;
  });
  socket.on('error', (error: Error) => {
    observer.error ??= error;
  });
  return observer;
}

function waitForHandshake(
  socket: TLSSocket,
  address: string,
  waitMs: number,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (failure?: PeerError) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (failure) {
        socket.destroy();
        reject(failure);
      } else resolve();
    };
    const timer = setTimeout(() => finish(timeoutFailure(address, 'handshake', timeoutMs)), waitMs);
    socket.once('secureConnect', () => finish());
    socket.once('error', (error: Error) =>
      finish(
        (error as { code?: string }).code === 'ECONNRESET'
          ? closedDuringHandshake(address)
          : connectFailure(error, address, 'handshake'),
      ),
    );
    socket.once('close', () => finish(closedDuringHandshake(address)));
  });
}

/** The verdict: throws unless authorized or --insecure; returns the reason in words. */
function checkVerdict(socket: TLSSocket, plan: ConnectionPlan, hostname: string): string | null {
  if (socket.authorized) return null;
  const code = String(socket.authorizationError ?? 'UNKNOWN');
  let reason = verificationReason(code);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // Node keeps only the code; its checker says which names the certificate has.
    const detail = checkServerIdentity(hostname, socket.getPeerCertificate());
    if (detail) {
      reason = `${reason}: ${detail.message.replace(/^Hostname\/IP does not match certificate's altnames: /, '')}`;
    }
  }
  if (!plan.options.insecure) {
    socket.destroy();
    throw verificationFailure(plan.address, code, reason);
  }
  return reason;
}

/** Waits for the first session ticket, the end, an error, or the time; throws on an error. */
function settle(
  socket: TLSSocket,
  observer: Observer,
  address: string,
  waitMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const events = ['session', 'end', 'close', 'error'] as const;
    const settled = () => {
      if (observer.error) {
        socket.destroy();
        reject(connectFailure(observer.error, address, 'after-handshake'));
      } else resolve();
    };
    const finish = () => {
      clearTimeout(timer);
      for (const event of events) socket.off(event, finish);
      // 'session' is emitted from inside OpenSSL's ticket callback, in the middle of SSL_read;
      // writing before it returns corrupts the record layer (the peer sees "bad record mac").
      setImmediate(settled);
    };
    const timer = setTimeout(finish, waitMs);
    for (const event of events) socket.on(event, finish);
  });
}

function liveConnection(
  socket: TLSSocket,
  summary: HandshakeSummary,
  observer: Observer,
  offered: Buffer | undefined,
  address: string,
): TlsConnection {
  const failure = (phase: ConnectPhase) =>
    observer.error ? connectFailure(observer.error, address, phase) : undefined;
  return {
    socket,
    summary,
    get session() {
      return observer.session ?? offered;
    },
    exchange: (send, expect, timeoutMs) => exchange(socket, send, expect, timeoutMs, failure),
    renegotiate: (timeoutMs) => renegotiate(socket, timeoutMs),
    pipe: (input, output, timeoutMs) => pipe(socket, input, output, timeoutMs, failure),
    close: () => closeSocket(socket),
  };
}

function exchange(
  socket: TLSSocket,
  send: Buffer | undefined,
  expect: RegExp | undefined,
  timeoutMs: number,
  failure: (phase: ConnectPhase) => PeerError | undefined,
): Promise<ExchangeSummary> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    const text = () => Buffer.concat(chunks).toString('utf8');
    const finish = (ended: ExchangeSummary['ended']) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
      const error = failure('exchange');
      if (error && ended === 'closed') {
        reject(error);
        return;
      }
      resolve({
        sentBytes: send?.length ?? 0,
        received: text(),
        receivedBytes,
        expected: expect?.source ?? null,
        matched: expect ? ended === 'matched' : null,
        ended,
      });
    };
    const onData = (chunk: Buffer) => {
      const room = MAX_EXCHANGE_BYTES - receivedBytes;
      chunks.push(chunk.subarray(0, room));
      receivedBytes += Math.min(chunk.length, room);
      if (expect?.test(text())) finish('matched');
      else if (receivedBytes >= MAX_EXCHANGE_BYTES) finish('limit');
    };
    const onEnd = () => finish('closed');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onEnd);
    if (send && send.length > 0) socket.write(send);
  });
}

function renegotiate(socket: TLSSocket, timeoutMs: number): Promise<RenegotiationSummary> {
  if (socket.getProtocol() === 'TLSv1.3') {
    return Promise.resolve({ ok: false, error: 'TLS 1.3 has no renegotiation (RFC 8446 §4.1)' });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(
      () =>
        resolve({
          ok: false,
          // OpenSSL 3 refuses client-initiated renegotiation unless allowed (-client_renegotiation).
          error: `the server did not renegotiate within ${timeoutMs / 1000} s`,
        }),
      timeoutMs,
    );
    const started = socket.renegotiate({ rejectUnauthorized: false }, (error) => {
      clearTimeout(timer);
      resolve({ ok: !error, error: error ? error.message : null });
    });
    if (started === false) {
      clearTimeout(timer);
      resolve({ ok: false, error: 'the connection is closing' });
    }
  });
}

function pipe(
  socket: TLSSocket,
  input: Readable,
  output: Writable,
  timeoutMs: number,
  failure: (phase: ConnectPhase) => PeerError | undefined,
): Promise<PipeSummary> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let receivedBytes = 0;
    let closeTimer: NodeJS.Timeout | undefined;
    const onInput = (chunk: Buffer) => {
      sentBytes += chunk.length;
    };
    const onOutput = (chunk: Buffer) => {
      receivedBytes += chunk.length;
    };
    const onInputEnd = () => {
      socket.end();
      closeTimer = setTimeout(() => socket.destroy(), timeoutMs);
    };
    input.on('data', onInput);
    socket.on('data', onOutput);
    input.once('end', onInputEnd);
    input.pipe(socket, { end: false });
    socket.pipe(output, { end: false });
    socket.once('close', () => {
      clearTimeout(closeTimer);
      input.unpipe(socket);
      input.off('data', onInput);
      input.off('end', onInputEnd);
      input.pause();
      socket.unpipe(output);
      const error = failure('exchange');
      if (error) reject(error);
      else resolve({ sentBytes, receivedBytes });
    });
  });
}

async function closeSocket(socket: TLSSocket): Promise<void> {
  if (socket.destroyed) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, CLOSE_WAIT_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    // Unread data would hold back 'end' (and so 'close'); nobody wants it now.
    socket.resume();
    socket.end();
  });
}
