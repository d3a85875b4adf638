import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import tls, { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { errorCode, messageOf, PeerError } from '../../errors.js';
import { describeSecureConnection } from './connection-report.js';
import { serveEcho } from './echo-mode.js';
import type { NewServerEvent } from './events.js';
import { createHttpMode, type ConnectionFacts } from './http-mode.js';
import { openKeylog, type KeylogFile } from './keylog.js';
import { attachOcspStapling } from './ocsp.js';
import type { ServerConfig } from './server-config.js';
import { attachSessionStore, MemorySessionStore, type SessionStore } from './session-store.js';
import { sniContextOptions, tlsServerOptions } from './tls-options.js';

export interface ProcessServerHooks {
  /** This process's cluster worker id, or null. */
  worker: number | null;
  /** Receives every event as it happens (unstamped: the caller adds time and worker). */
  report(event: NewServerEvent): void;
  /** Where --session-store keeps sessions; default in this process's memory. */
  sessionStore?: SessionStore;
  /** Replaces the configured mode (the programmatic harness's own handler). */
  onSecureConnection?: (socket: TLSSocket) => void;
}

/** A TLS server listening in this process. */
export interface ProcessServer {
  host: string;
  port: number;
  /**
   * Stops accepting, ends every open connection (close_notify, then FIN), destroys those still
   * open after `graceMs`, and closes the key log. Resolves when all are closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** What the server knows about one TCP connection, from accept to close. */
interface ConnectionState {
  id: number;
  raw: Socket;
  startedAt: number;
  remoteAddress: string | null;
  remotePort: number | null;
  tls?: TLSSocket;
  secure: boolean;
  renegotiations: number;
  /** Settles once the close event has been reported. */
  closed: Promise<void>;
  markClosed(): void;
}

const DEFAULT_GRACE_MS = 1000;
/** The name a STARTTLS greeting announces. */
const STARTTLS_HOSTNAME = 'localhost';

/**
 * Listens with `config` in this process: a plain TCP listener that hands each connection to a
 * node:tls server (at once, or after the STARTTLS dialogue), so every connection is counted and
 * timed from accept, and every happening becomes one event.
 */
export async function listenInProcess(
  config: ServerConfig,
  hooks: ProcessServerHooks,
): Promise<ProcessServer> {
  const { report } = hooks;
  const keylog = config.keylog === null ? undefined : await openKeylog(config.keylog);
  const tlsServer = createTlsServer(tlsServerOptions(config));
  for (const sni of config.sni)
    tlsServer.addContext(sni.servername, sniContextOptions(config, sni));
  if (config.sessionStore) {
    const store = hooks.sessionStore ?? new MemorySessionStore(config.sessionTimeout ?? undefined);
    attachSessionStore(tlsServer, store, report);
  }
  if (config.ocspResponseBase64 !== null) {
    attachOcspStapling(
      tlsServer,
      Buffer.from(config.ocspResponseBase64, 'base64'),
      config.identities.map((identity) => identity.fingerprint256),
      report,
    );
  }
  if (keylog) tlsServer.on('keylog', (line: Buffer) => keylog.append(line));

  const connections = new Map<Socket, ConnectionState>();
  // Counted per server; across workers, (worker, connection) tells connections apart.
  let connectionCount = 0;
  const handle = connectionHandler(config, hooks);
  tlsServer.on('secureConnection', (socket: TLSSocket) => {
    const state = stateOf(socket, connections);
    if (state) handle(socket, state);
  });
  tlsServer.on('tlsClientError', (error: Error, socket: TLSSocket) => {
    const state = stateOf(socket, connections);
    if (state) {
      state.tls = socket;
      report({ type: 'clientError', connection: state.id, ...describeClientError(error, socket) });
    }
    // A timed-out handshake leaves the TCP socket open unless it is destroyed here.
    socket.destroy();
  });

  const netServer = createNetServer((raw) => {
    const state = track(raw, (connectionCount += 1), connections, report);
    if (config.starttls === null) {
      tlsServer.emit('connection', raw);
      return;
    }
    upgradeAfterStarttls(config, raw, state, report).then(
      (upgraded) => {
        if (upgraded) tlsServer.emit('connection', raw);
      },
      () => raw.destroy(),
    );
  });
  if (config.maxConnections !== null) netServer.maxConnections = config.maxConnections;
  netServer.on('drop', (dropped?: { remoteAddress?: string; remotePort?: number }) => {
    report({
      type: 'drop',
      remoteAddress: dropped?.remoteAddress ?? null,
      remotePort: dropped?.remotePort ?? null,
    });
  });
  const port = await listen(netServer, config.host, config.port);
  return {
    host: config.host,
    port,
    close: (graceMs = DEFAULT_GRACE_MS) => closeAll(netServer, connections, keylog, graceMs),
  };
}

// ---------------------------------------------------------------------------------------------

/** What happens once a connection is secure: report it, watch it, hand it to the mode. */
function connectionHandler(config: ServerConfig, hooks: ProcessServerHooks) {
  const { report } = hooks;
  const http = config.mode === 'http' ? createHttpMode() : undefined;
  const [only, ...others] = config.identities;
  const servedSubject =
    only && others.length === 0 && config.sni.length === 0 ? only.subject : undefined;
  return (socket: TLSSocket, state: ConnectionState) => {
    state.tls = socket;
    state.secure = true;
    const details = describeSecureConnection(socket, servedSubject);
    report({ type: 'secure', connection: state.id, ...details });
    // node:tls emits 'secure' again after each (TLS 1.2) renegotiation.
    socket.on('secure', () => {
      state.renegotiations += 1;
      report(renegotiationEvent(state, false));
    });
    socket.on('error', (error) => {
      if (errorCode(error) === 'ERR_TLS_SESSION_ATTACK') {
        report(renegotiationEvent(state, true));
      } else {
        report({ type: 'socketError', connection: state.id, ...describeError(error) });
      }
      socket.destroy();
    });
    if (hooks.onSecureConnection) return hooks.onSecureConnection(socket);
    if (http) return http(socket, factsOf(state, hooks.worker, details));
    serveEcho(socket);
  };
}

function track(
  raw: Socket,
  id: number,
  connections: Map<Socket, ConnectionState>,
  report: (event: NewServerEvent) => void,
): ConnectionState {
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const state: ConnectionState = {
    id,
    raw,
    startedAt: performance.now(),
    remoteAddress: raw.remoteAddress ?? null,
    remotePort: raw.remotePort ?? null,
    secure: false,
    renegotiations: 0,
    closed,
    markClosed,
  };
  connections.set(raw, state);
  report({
    type: 'connection',
    connection: state.id,
    remoteAddress: state.remoteAddress,
    remotePort: state.remotePort,
  });
  // Errors surface on the TLS socket (or the STARTTLS dialogue); the raw one must not crash us.
  raw.on('error', () => {});
  raw.on('close', () => {
    // node:tls reports a failed handshake (tlsClientError) when its own socket closes, which
    // comes after this one: wait for it, so the state is still there and close comes last.
    setImmediate(() => reportClose(state, connections, report));
  });
  return state;
}

function reportClose(
  state: ConnectionState,
  connections: Map<Socket, ConnectionState>,
  report: (event: NewServerEvent) => void,
): void {
  const { raw } = state;
  connections.delete(raw);
  report({
    type: 'close',
    connection: state.id,
    durationMs: Math.round(performance.now() - state.startedAt),
    bytesRead: raw.bytesRead,
    bytesWritten: raw.bytesWritten,
    plaintextBytesRead: state.tls?.bytesRead ?? 0,
    plaintextBytesWritten: state.tls?.bytesWritten ?? 0,
    secure: state.secure,
  });
  state.markClosed();
}

/**
 * The TCP socket a server-side TLSSocket wraps. node:tls keeps it as `_parent` (not in the typed
 * API, but the only link between the two).
 */
function stateOf(
  socket: TLSSocket,
  connections: Map<Socket, ConnectionState>,
): ConnectionState | undefined {
  const parent = (socket as TLSSocket & { _parent?: Socket })._parent;
  return parent ? connections.get(parent) : undefined;
}

async function upgradeAfterStarttls(
  config: ServerConfig,
  raw: Socket,
  state: ConnectionState,
  report: (event: NewServerEvent) => void,
): Promise<boolean> {
  const protocol = config.starttls as NonNullable<ServerConfig['starttls']>;
  const { acceptStarttls } = await import('../starttls/index.js');
  try {
    await acceptStarttls(protocol, raw, {
      timeoutMs: config.handshakeTimeout,
      hostname: STARTTLS_HOSTNAME,
    });
  } catch (error) {
    report({
      type: 'clientError',
      connection: state.id,
      code: errorCode(error) ?? 'STARTTLS',
      reason: messageOf(error),
    });
    return false;
  }
  report({ type: 'starttls', connection: state.id, protocol });
  return true;
}

function renegotiationEvent(state: ConnectionState, limitReached: boolean): NewServerEvent {
  return {
    type: 'renegotiation',
    connection: state.id,
    count: state.renegotiations,
    limitReached,
    limit: tls.CLIENT_RENEG_LIMIT,
    windowSeconds: tls.CLIENT_RENEG_WINDOW,
  };
}

function factsOf(
  state: ConnectionState,
  worker: number | null,
  details: ReturnType<typeof describeSecureConnection>,
): ConnectionFacts {
  return {
    connection: state.id,
    worker,
    remoteAddress: state.remoteAddress,
    remotePort: state.remotePort,
    tls: details,
  };
}

/**
 * Under rejectUnauthorized, node:tls completes the handshake, finds the client's certificate
 * unverified, and destroys the socket: what it then reports is a bare "socket hang up". The
 * verdict it recorded on the socket says what really happened.
 */
function describeClientError(
  error: Error,
  socket: TLSSocket,
): { code: string | null; reason: string } {
  const verdict = socket.authorizationError ? String(socket.authorizationError) : undefined;
  if (verdict && errorCode(error) === 'ECONNRESET') {
    return { code: verdict, reason: 'client certificate rejected' };
  }
  return describeError(error);
}

/** Node's code and a one-line reason (OpenSSL's messages carry file names and line numbers). */
function describeError(error: unknown): { code: string | null; reason: string } {
  const code = errorCode(error) ?? null;
  const message = messageOf(error);
  // "80FC42F4FA7F0000:error:0A00009C:SSL routines:ssl3_get_record:http request:../deps/…:341:"
  const openssl = /:SSL routines:[^:]*:([^:]+):/.exec(message);
  const reason = openssl ? (openssl[1] as string) : (message.split('\n', 1)[0] as string);
  return { code, reason };
}

async function listen(server: NetServer, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(listenError(error, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

function listenError(error: Error, host: string, port: number): PeerError {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new PeerError(`${host}:${port} is already in use`, {
        hint: 'choose another --port, or --port 0 for any free one',
        cause: error,
      });
    case 'EACCES':
      return new PeerError(`not allowed to listen on ${host}:${port}`, {
        hint: 'ports below 1024 need privileges: use --port 8443 or another high port',
        cause: error,
      });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new PeerError(`${host} is not an address of this machine`, {
        hint: 'use --host 127.0.0.1 (or 0.0.0.0 for every interface)',
        cause: error,
      });
    default:
      return new PeerError(`cannot listen on ${host}:${port}: ${messageOf(error)}`, {
        cause: error,
      });
  }
}

async function closeAll(
  server: NetServer,
  connections: Map<Socket, ConnectionState>,
  keylog: KeylogFile | undefined,
  graceMs: number,
): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  const open = [...connections.values()];
  for (const state of open) (state.tls ?? state.raw).end();
  const timer = setTimeout(() => {
    for (const state of open) {
      state.tls?.destroy();
      state.raw.destroy();
    }
  }, graceMs);
  await Promise.all(open.map((state) => state.closed));
  clearTimeout(timer);
  await stopped;
  await keylog?.close();
}
