import { open, type FileHandle } from 'node:fs/promises';
import { SECRET_FILE_MODE } from '../../io/atomic-write.js';
import { errorCode, InputError, messageOf } from '../../errors.js';

/** Where the server appends NSS key log lines (`CLIENT_RANDOM …`, `SERVER_TRAFFIC_SECRET_0 …`). */
export interface KeylogFile {
  /** Appends one line as Node's 'keylog' event gives it (newline included). */
  append(line: Buffer): void;
  close(): Promise<void>;
}

/**
 * Opens the key log for appending, created 0600: these secrets decrypt every session. Appending
 * (not the atomic writer) is the SSLKEYLOGFILE convention: several programs and workers share one
 * file, each line written whole with O_APPEND, and nothing already there is lost.
 */
export async function openKeylog(path: string): Promise<KeylogFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'a', SECRET_FILE_MODE);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new InputError(`the folder of the key log ${path} does not exist`, {
        hint: 'create it first, or give another --keylog path',
        cause: error,
      });
    }
    throw new InputError(`cannot open the key log ${path}: ${messageOf(error)}`, {
      hint: 'check the path and its permissions',
      cause: error,
    });
  }
  let pending: Promise<unknown> = Promise.resolve();
  return {
    append(line) {
      // Lines are written in order; a failed write must not stop the server.
      pending = pending.then(() => handle.write(line)).catch(() => undefined);
    },
    async close() {
      await pending;
      await handle.close();
    },
  };
}
