import type { ServerEvent } from './events.js';
import type { ServerConfig } from './server-config.js';

/**
 * The IPC messages between a `--workers` primary and its workers. Every message carries
 * `tlskit` (its kind), so nothing else on the channel is mistaken for one. Buffers travel as
 * base64: the channel is JSON.
 */
export type PrimaryMessage =
  | { tlskit: 'start'; config: ServerConfig }
  | { tlskit: 'session-loaded'; requestId: number; sessionBase64: string | null }
  | { tlskit: 'stop'; graceMs: number };

export type WorkerMessage =
  /** The worker is listening for messages (cluster's 'online' comes before an ES module has). */
  | { tlskit: 'ready' }
  | { tlskit: 'listening'; port: number }
  | { tlskit: 'failed'; error: SerialisedError }
  | { tlskit: 'event'; event: ServerEvent }
  | { tlskit: 'session-save'; sessionIdHex: string; sessionBase64: string }
  | { tlskit: 'session-load'; requestId: number; sessionIdHex: string }
  | { tlskit: 'stopped' };

/** A TlskitError (or any error) as it crosses the channel. */
export interface SerialisedError {
  code: string;
  message: string;
  hint: string | null;
}

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return typeof message === 'object' && message !== null && 'tlskit' in message;
}

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return typeof message === 'object' && message !== null && 'tlskit' in message;
}
