import { isIPv6 } from 'node:net';
import { ServerEventLog, stampEvent, type NewServerEvent, type ServerEvent } from './events.js';
import type { IdentitySummary } from './identity.js';
import type { ServerOptions } from './options.js';
import { resolveServerConfig, type ServerConfig } from './server-config.js';
import { SummaryBuilder, type ServerSummary } from './summary.js';

/** A running tlskit server, as startServer() returns it. */
export interface ServerHandle {
  host: string;
  /** The port it listens on (the chosen one when asked for port 0). */
  port: number;
  /** `https://127.0.0.1:8443/` for --http, `tls://…` for echo, `smtp://…` with STARTTLS. */
  url: string;
  /** The certificate a client should trust to verify this server (see ResolvedIdentity). */
  caPem: string;
  /** The certificates it presents. */
  identities: IdentitySummary[];
  /** Processes accepting connections. */
  workers: number;
  /** Every event, as it happens (see ServerEventLog: `on`, `history`, `waitFor`). */
  events: ServerEventLog;
  /** The counts so far. */
  summary(): ServerSummary;
  /**
   * Stops accepting, ends open connections (destroying any still open after `graceMs`, default
   * 1 s) and resolves with the final summary. Calling it again returns the same promise.
   */
  close(options?: { graceMs?: number }): Promise<ServerSummary>;
  /** Resolves with the final summary once the server has stopped (close(), or `once`). */
  closed: Promise<ServerSummary>;
}

const DEFAULT_GRACE_MS = 1000;

/**
 * Starts a TLS server with the whole node:tls server surface behind one options object, in this
 * process or in `workers` processes, and reports every happening as a structured event:
 *
 * ```ts
 * const server = await startServer({ port: 0, requestCert: true, ca: ['ca.pem'], alpnProtocols: ['h2'] });
 * // … connect a client to server.port, trusting server.caPem …
 * const secure = await server.events.waitFor('secure');
 * await server.close();
 * ```
 *
 * `port` defaults to 0 (a free port) here; `tlskit serve` defaults to 8000.
 */
export async function startServer(options: ServerOptions = {}): Promise<ServerHandle> {
  const now = options.now ?? (() => new Date());
  const config = await resolveServerConfig({ ...options, port: options.port ?? 0 }, now());
  const events = new ServerEventLog();
  const counts = new SummaryBuilder(now());
  const record = (event: ServerEvent) => {
    counts.add(event);
    events.record(event);
  };
  let stopAbandoned = () => {};
  const listener = await listen(config, options, record, now, () => stopAbandoned());
  const url = urlOf(config, listener.port);
  record(
    stampEvent(
      {
        type: 'listening',
        host: config.host,
        port: listener.port,
        url,
        mode: config.mode,
        workers: config.workers,
        starttls: config.starttls,
        pid: process.pid,
        identities: config.identities,
        caPem: config.caPem,
      },
      null,
      now,
    ),
  );

  let finish: (summary: ServerSummary) => void = () => {};
  const closed = new Promise<ServerSummary>((resolve) => (finish = resolve));
  let closing: Promise<ServerSummary> | undefined;
  const close = (closeOptions: { graceMs?: number } = {}) => {
    closing ??= listener.close(closeOptions.graceMs ?? DEFAULT_GRACE_MS).then(() => {
      const summary = counts.snapshot(now(), true);
      finish(summary);
      return summary;
    });
    return closing;
  };
  if (config.once) events.once('close', () => void close());
  // If every worker dies, the server stops as if closed (the events say why).
  stopAbandoned = () => void close();

  return {
    host: config.host,
    port: listener.port,
    url,
    caPem: config.caPem,
    identities: config.identities,
    workers: config.workers,
    events,
    summary: () => counts.snapshot(now()),
    close,
    closed,
  };
}

interface Listener {
  port: number;
  close(graceMs: number): Promise<void>;
}

async function listen(
  config: ServerConfig,
  options: ServerOptions,
  record: (event: ServerEvent) => void,
  now: () => Date,
  abandoned: () => void,
): Promise<Listener> {
  if (config.workers > 1) {
    const { listenInCluster } = await import('./cluster-primary.js');
    return listenInCluster(config, { record, now, abandoned });
  }
  const { listenInProcess } = await import('./server-process.js');
  return listenInProcess(config, {
    worker: null,
    report: (event: NewServerEvent) => record(stampEvent(event, null, now)),
    onSecureConnection: options.onSecureConnection,
  });
}

function urlOf(config: ServerConfig, port: number): string {
  const scheme = config.starttls ?? (config.mode === 'http' ? 'https' : 'tls');
  const host = isIPv6(config.host) ? `[${config.host}]` : config.host;
  return `${scheme}://${host}:${port}/`;
}
