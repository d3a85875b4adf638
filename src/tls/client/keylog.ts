import { open, type FileHandle } from 'node:fs/promises';
import { SECRET_FILE_MODE } from '../../io/atomic-write.js';
import { errorCode, InputError, messageOf } from '../../errors.js';

/** Receives NSS key log lines ("CLIENT_RANDOM …", "CLIENT_HANDSHAKE_TRAFFIC_SECRET …"). */
export interface KeylogSink {
  write(line: Buffer): void;
  /** Flushes and closes; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Appends to a key log file, as browsers do with SSLKEYLOGFILE: lines must reach the file while
 * the connection lives (Wireshark reads it live), so this is the one file tlskit writes in
 * place instead of atomically. Created 0600: the lines decrypt the traffic.
 */
export async function openKeylogFile(path: string): Promise<KeylogSink> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'a', SECRET_FILE_MODE);
  } catch (error) {
    throw new InputError(`cannot open the key log ${path}: ${describeOpenError(error)}`, {
      cause: error,
    });
  }
  let pending: Promise<unknown> = Promise.resolve();
  let closed: Promise<void> | undefined;
  return {
    write(line) {
      // Node's 'keylog' lines end with a newline already; keep their order.
      pending = pending.then(() => handle.write(line)).catch(() => {});
    },
    close() {
      closed ??= pending.then(() => handle.close());
      return closed;
    },
  };
}

function describeOpenError(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return messageOf(error);
  }
}
