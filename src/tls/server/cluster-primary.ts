import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import {
  InputError,
  InternalError,
  PeerError,
  UsageError,
  type TlskitError,
} from '../../errors.js';
import {
  isWorkerMessage,
  type PrimaryMessage,
  type SerialisedError,
  type WorkerMessage,
} from './cluster-messages.js';
import { packageRoot } from '../../pki/package-root.js';
import type { ServerEvent } from './events.js';
import type { ServerConfig } from './server-config.js';
import { MemorySessionStore } from './session-store.js';

export interface ClusterServer {
  host: string;
  port: number;
  /** Stops every worker (each ends its connections within `graceMs`) and waits for them. */
  close(graceMs: number): Promise<void>;
}

export interface ClusterHooks {
  /** Every worker's events (already stamped by the worker), and worker exits. */
  record(event: ServerEvent): void;
  now(): Date;
  /** The last worker has exited on its own: nothing serves any more. */
  abandoned(): void;
}

/** A worker that has not listened by then is not coming. */
const START_TIMEOUT_MS = 30_000;
/** Beyond its grace period, a worker gets this long to exit before it is killed. */
const EXIT_MARGIN_MS = 2000;

/**
 * `config.workers` processes (node:cluster) sharing one port and one configuration, resolved
 * here once: the same certificates, the same ticket keys (so a ticket from one worker resumes
 * on another) and, with --session-store, one session store in this process. The workers
 * accept connections; this process relays their events and answers their session lookups.
 */
export async function listenInCluster(
  config: ServerConfig,
  hooks: ClusterHooks,
): Promise<ClusterServer> {
  // Port 0 would give every worker the same port, but also any other cluster server in this
  // process that listens on port 0 (cluster shares handles by address and port): pick one here.
  const port = config.port === 0 ? await pickFreePort(config.host) : config.port;
  const workerConfig: ServerConfig = { ...config, port };
  const sessions = new MemorySessionStore(config.sessionTimeout ?? undefined);
  // Workers accept from the shared socket themselves. Round-robin (Node's default on Linux)
  // has this process accept every connection and pass it over IPC: measured on loopback, it
  // makes two workers slower than one. The kernel spreads connections about evenly anyway.
  // (A process-wide setting, fixed once the first worker is forked.)
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: workerScript(), args: [], silent: false });
  const workers = Array.from({ length: config.workers }, () => cluster.fork());
  let stopping = false;

  const started = workers.map((worker) => {
    const send = (message: PrimaryMessage) => worker.send(message);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: unknown) => {
        if (!isWorkerMessage(message)) return;
        if (message.tlskit === 'ready') send({ tlskit: 'start', config: workerConfig });
        else relay(message, send, resolve, reject);
      });
      worker.once('exit', (code, signal) => {
        reject(new InternalError(`worker ${worker.id} exited before listening (code ${code})`));
        if (!stopping) {
          hooks.record({
            type: 'workerExit',
            time: hooks.now().toISOString(),
            worker: worker.id,
            code,
            signal: signal ?? null,
          });
          if (workers.every((each) => each.isDead())) hooks.abandoned();
        }
      });
    });
  });

  function relay(
    message: WorkerMessage,
    send: (message: PrimaryMessage) => void,
    listening: () => void,
    failed: (error: TlskitError) => void,
  ): void {
    switch (message.tlskit) {
      case 'listening':
        listening();
        break;
      case 'failed':
        failed(deserialise(message.error));
        break;
      case 'event':
        hooks.record(message.event);
        break;
      case 'session-save':
        void sessions.save(
          Buffer.from(message.sessionIdHex, 'hex'),
          Buffer.from(message.sessionBase64, 'base64'),
        );
        break;
      case 'session-load':
        void sessions.load(Buffer.from(message.sessionIdHex, 'hex')).then((session) =>
          send({
            tlskit: 'session-loaded',
            requestId: message.requestId,
            sessionBase64: session?.toString('base64') ?? null,
          }),
        );
        break;
      case 'ready':
      case 'stopped':
        break;
    }
  }

  const stop = async (graceMs: number) => {
    stopping = true;
    await Promise.all(workers.map((worker) => stopWorker(worker, graceMs)));
  };
  try {
    await withTimeout(Promise.all(started), START_TIMEOUT_MS, 'the workers did not start');
  } catch (error) {
    await stop(0);
    throw error;
  }
  return { host: config.host, port, close: stop };
}

// ---------------------------------------------------------------------------------------------

async function stopWorker(worker: Worker, graceMs: number): Promise<void> {
  if (worker.isDead()) return;
  const exited = once(worker, 'exit');
  if (worker.isConnected()) worker.send({ tlskit: 'stop', graceMs } satisfies PrimaryMessage);
  const timer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs + EXIT_MARGIN_MS);
  await exited;
  clearTimeout(timer);
}

/** A port free on `host` right now (the kernel's choice for port 0). */
async function pickFreePort(host: string): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, host);
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (typeof address !== 'object' || address === null) {
    throw new InternalError(`no port number for ${host}`);
  }
  return address.port;
}

function deserialise(error: SerialisedError): TlskitError {
  const options = error.hint === null ? {} : { hint: error.hint };
  switch (error.code) {
    case 'PEER':
      return new PeerError(error.message, options);
    case 'USAGE':
      return new UsageError(error.message, options);
    case 'BAD_INPUT':
      return new InputError(error.message, options);
    default:
      return new InternalError(error.message, options);
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InternalError(`${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The worker's entry: the compiled module beside this one in dist/src. Found from the package
 * root rather than this module's URL, because the CLI runs this code from a bundled chunk.
 */
function workerScript(): string {
  return join(packageRoot(), 'dist', 'src', 'tls', 'server', 'cluster-worker.js');
}
