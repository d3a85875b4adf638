import { createSecureContext } from 'node:tls';
import { CheckFailedError, UsageError } from '../../errors.js';
import { SECRET_FILE_MODE, writeFilesAtomic } from '../../io/atomic-write.js';
import { loadCredentials } from './credentials.js';
import {
  addressOf,
  establishConnection,
  type ConnectionPlan,
  type ExchangeSummary,
  type PipeSummary,
  type RenegotiationSummary,
  type TlsConnection,
} from './connection.js';
import { optionFailure } from './failure.js';
import { openKeylogFile, type KeylogSink } from './keylog.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  MAX_SEND_FRAGMENT,
  MIN_SEND_FRAGMENT,
  type ConnectOptions,
} from './options.js';
import { encodeSessionPem, readSessionFile } from './session.js';
import type { HandshakeSummary } from './summary.js';

/** One reconnection of --reconnect: did the server resume the session we offered? */
export interface ReconnectSummary {
  attempt: number;
  sessionOffered: boolean;
  resumed: boolean;
  protocol: string | null;
  cipher: string;
  sessionId: string | null;
  connectMs: number;
}

/** Everything `connect` did: the first handshake, then what followed it. */
export interface ConnectionSummary extends HandshakeSummary {
  renegotiation: RenegotiationSummary | null;
  exchange: ExchangeSummary | null;
  reconnects: ReconnectSummary[];
  /** Where the last session was saved (--sess-out), or null. */
  sessionFile: string | null;
  keylogFile: string | null;
  /** Things asked for that could not be done, e.g. a session to save when the server sent none. */
  warnings: string[];
}

/** A live connection for interactive use; `finish` closes it and saves what was asked for. */
export interface OpenConnection extends TlsConnection {
  /** Closes the connection, saves the session (--sess-out) and closes the key log. */
  finish(): Promise<{ sessionFile: string | null; warnings: string[] }>;
}

/**
 * Connects like `openssl s_client`: handshake and verdict, then (as asked) renegotiation, a
 * send/expect exchange, and `reconnect` further handshakes offering the newest session, each
 * reported; saves the last session and the key log. Throws a PeerError (network, handshake,
 * time-out) or a CheckFailedError (the server's certificate did not verify, without `insecure`).
 */
export async function connect(options: ConnectOptions): Promise<ConnectionSummary> {
  const run = await prepare(options);
  try {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const first = await establishConnection(run.plan, run.initialSession);
    let renegotiation: RenegotiationSummary | null = null;
    let exchange: ExchangeSummary | null = null;
    try {
      if (options.renegotiate) renegotiation = await first.renegotiate(timeoutMs);
      if (options.send !== undefined || options.expect !== undefined) {
        const send = options.send === undefined ? undefined : Buffer.from(options.send);
        exchange = await first.exchange(send, options.expect, timeoutMs);
      }
    } finally {
      await first.close();
    }
    let session = first.session;
    const reconnects: ReconnectSummary[] = [];
    for (let attempt = 1; attempt <= (options.reconnect ?? 0); attempt++) {
      const again = await establishConnection(run.plan, session);
      await again.close();
      reconnects.push(reconnectSummary(attempt, again));
      session = again.session ?? session;
    }
    const saved = await run.saveSession(session);
    return {
      ...first.summary,
      renegotiation,
      exchange,
      reconnects,
      sessionFile: saved.sessionFile,
      keylogFile: options.keylogFile ?? null,
      warnings: saved.warnings,
    };
  } finally {
    await run.dispose();
  }
}

/**
 * The streaming variant, for an interactive session: one verified connection, live. Pipe data
 * through it (`pipe`), then call `finish`.
 */
export async function openConnection(options: ConnectOptions): Promise<OpenConnection> {
  const run = await prepare(options);
  let connection: TlsConnection;
  try {
    connection = await establishConnection(run.plan, run.initialSession);
  } catch (error) {
    await run.dispose();
    throw error;
  }
  return {
    socket: connection.socket,
    summary: connection.summary,
    get session() {
      return connection.session;
    },
    exchange: connection.exchange,
    renegotiate: connection.renegotiate,
    pipe: connection.pipe,
    close: connection.close,
    async finish() {
      try {
        await connection.close();
        return await run.saveSession(connection.session);
      } finally {
        await run.dispose();
      }
    },
  };
}

/** The verdict on a --send/--expect exchange whose pattern never matched. */
export function expectationFailure(summary: ConnectionSummary): CheckFailedError | undefined {
  const exchange = summary.exchange;
  if (exchange?.matched !== false) return undefined;
  const why = {
    closed: 'the server closed the connection',
    timeout: 'time ran out',
    limit: 'the read limit was reached',
    matched: '',
  }[exchange.ended];
  const received =
    exchange.received.length > 60 ? `${exchange.received.slice(0, 60)}…` : exchange.received;
  return new CheckFailedError(
    `${summary.address}: did not receive /${exchange.expected}/ before ${why} (received ${exchange.receivedBytes} bytes: ${JSON.stringify(received)})`,
    { hint: 'check --send, or allow more time with --timeout' },
  );
}

interface Run {
  plan: ConnectionPlan;
  initialSession: Buffer | undefined;
  saveSession(
    session: Buffer | undefined,
  ): Promise<{ sessionFile: string | null; warnings: string[] }>;
  dispose(): Promise<void>;
}

/** Checks the options and loads everything the connections share, before the first byte is sent. */
async function prepare(options: ConnectOptions): Promise<Run> {
  checkOptions(options);
  const credentials = await loadCredentials(options);
  let secureContext;
  try {
    secureContext = createSecureContext({
      ...credentials,
      ciphers: options.ciphers,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      ecdhCurve: options.ecdhCurve,
    });
  } catch (error) {
    throw optionFailure(error) ?? error;
  }
  const initialSession =
    options.session ??
    (options.sessionFile ? await readSessionFile(options.sessionFile) : undefined);
  const keylogFile = options.keylogFile ? await openKeylogFile(options.keylogFile) : undefined;
  const keylog: KeylogSink | undefined =
    keylogFile || options.onKeylog
      ? {
          write(line) {
            keylogFile?.write(line);
            options.onKeylog?.(line);
          },
          close: async () => keylogFile?.close(),
        }
      : undefined;
  return {
    plan: { options, address: addressOf(options), secureContext, keylog },
    initialSession,
    async saveSession(session) {
      if (!options.sessionOutFile) return { sessionFile: null, warnings: [] };
      if (!session) {
        return {
          sessionFile: null,
          warnings: [`the server sent no session, so ${options.sessionOutFile} was not written`],
        };
      }
      const write = options.writeFiles ?? writeFilesAtomic;
      await write(
        [{ path: options.sessionOutFile, data: encodeSessionPem(session), mode: SECRET_FILE_MODE }],
        { force: options.force },
      );
      return { sessionFile: options.sessionOutFile, warnings: [] };
    },
    async dispose() {
      await keylog?.close();
    },
  };
}

function checkOptions(options: ConnectOptions): void {
  if (!options.unixPath && options.port === undefined) {
    throw new UsageError('connect needs a port (or a Unix socket path)');
  }
  const fragment = options.maxSendFragment;
  if (
    fragment !== undefined &&
    !(Number.isInteger(fragment) && fragment >= MIN_SEND_FRAGMENT && fragment <= MAX_SEND_FRAGMENT)
  ) {
    throw new UsageError(
      `--max-send-fragment must be from ${MIN_SEND_FRAGMENT} to ${MAX_SEND_FRAGMENT}`,
    );
  }
  const reconnect = options.reconnect ?? 0;
  if (!Number.isInteger(reconnect) || reconnect < 0 || reconnect > 100) {
    throw new UsageError('--reconnect must be from 0 to 100');
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new UsageError('--timeout must be more than zero');
  }
  if (options.session && options.sessionFile) {
    throw new UsageError('give the session to resume once: session or sessionFile');
  }
}

function reconnectSummary(attempt: number, connection: TlsConnection): ReconnectSummary {
  const { summary } = connection;
  return {
    attempt,
    sessionOffered: summary.sessionOffered,
    resumed: summary.resumed,
    protocol: summary.protocol,
    cipher: summary.cipher.standardName,
    sessionId: summary.session?.id ?? null,
    connectMs: summary.connectMs,
  };
}

export type { PipeSummary };
