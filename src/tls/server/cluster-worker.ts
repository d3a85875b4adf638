/**
 * The entry script of a `--workers` process (node:cluster forks it): it waits for the primary's
 * configuration, listens on the shared port, and sends every event back. It prints nothing and
 * ignores Ctrl-C: the terminal's SIGINT reaches the whole process group, and it is the primary
 * that decides how to shut down.
 */
import cluster from 'node:cluster';
import { isTlskitError, messageOf } from '../../errors.js';
import {
  isPrimaryMessage,
  type PrimaryMessage,
  type SerialisedError,
  type WorkerMessage,
} from './cluster-messages.js';
import { stampEvent } from './events.js';
import { listenInProcess, type ProcessServer } from './server-process.js';
import type { SessionStore } from './session-store.js';

/** A session lookup the primary has not answered by then is a miss: the handshake goes on. */
const SESSION_LOAD_TIMEOUT_MS = 1000;

function runWorker(): void {
  const worker = cluster.worker?.id ?? null;
  const send = (message: WorkerMessage) => process.send?.(message);
  const store = new RelayedSessionStore(send);
  let server: ProcessServer | undefined;
  process.on('SIGINT', () => {});
  process.on('message', (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    handle(message).catch((error: unknown) => send({ tlskit: 'failed', error: serialise(error) }));
  });
  send({ tlskit: 'ready' });

  async function handle(message: PrimaryMessage): Promise<void> {
    switch (message.tlskit) {
      case 'start':
        server = await listenInProcess(message.config, {
          worker,
          report: (event) =>
            send({ tlskit: 'event', event: stampEvent(event, worker, () => new Date()) }),
          sessionStore: message.config.sessionStore ? store : undefined,
        });
        send({ tlskit: 'listening', port: server.port });
        break;
      case 'session-loaded':
        store.answer(message.requestId, message.sessionBase64);
        break;
      case 'stop':
        await server?.close(message.graceMs);
        send({ tlskit: 'stopped' });
        cluster.worker?.disconnect();
        break;
    }
  }
}

/** --session-store across workers: the sessions live in the primary, asked over IPC. */
class RelayedSessionStore implements SessionStore {
  private nextRequest = 1;
  private readonly waiting = new Map<number, (session: Buffer | undefined) => void>();

  constructor(private readonly send: (message: WorkerMessage) => void) {}

  async save(id: Buffer, session: Buffer): Promise<void> {
    this.send({
      tlskit: 'session-save',
      sessionIdHex: id.toString('hex'),
      sessionBase64: session.toString('base64'),
    });
  }

  load(id: Buffer): Promise<Buffer | undefined> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(requestId, null), SESSION_LOAD_TIMEOUT_MS);
      this.waiting.set(requestId, (session) => {
        clearTimeout(timer);
        resolve(session);
      });
      this.send({ tlskit: 'session-load', requestId, sessionIdHex: id.toString('hex') });
    });
  }

  answer(requestId: number, sessionBase64: string | null): void {
    const resolve = this.waiting.get(requestId);
    this.waiting.delete(requestId);
    resolve?.(sessionBase64 === null ? undefined : Buffer.from(sessionBase64, 'base64'));
  }
}

function serialise(error: unknown): SerialisedError {
  return isTlskitError(error)
    ? { code: error.code, message: error.message, hint: error.hint ?? null }
    : { code: 'INTERNAL', message: messageOf(error), hint: null };
}

// Last, so the classes above exist when it runs.
if (cluster.isWorker) runWorker();
