import { randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, InputError, messageOf, RefusedError } from '../../errors.js';

/** The lock file in a CA folder; its presence means a tlskit command is changing the folder. */
export const LOCK_FILE = '.tlskit-ca.lock';

export interface LockOptions {
  /** Give up after this long; default 30 s. */
  timeoutMs?: number;
  /** Is the process with this id alive? Injected for tests; default `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
}

/** What a lock file says about its holder. */
interface LockHolder {
  pid: number;
  host: string;
  /** Tells this holding of the lock from a later one by the same pid. */
  nonce: string;
  since: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 50;
/** A breaker lock older than this belongs to a process that died while breaking a stale lock. */
const STALE_BREAKER_MS = 10_000;

/**
 * Runs `action` while holding the folder's lock, so that concurrent tlskit processes change a CA
 * folder one at a time. The lock file appears whole or not at all: it is written under a temp name
 * and linked into place, and link() fails if the lock exists. A lock whose holder has died (same
 * host, pid gone) is broken; otherwise we retry with growing, jittered back-off until the timeout,
 * then fail naming the holder. `openssl ca` takes no lock: do not run it at the same time.
 */
export async function withFolderLock<T>(
  dir: string,
  action: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  // Holders in this process queue in memory first, so they follow each other without polling
  // gaps; the lock file orders this process against others.
  const key = resolve(dir);
  const previous = inProcessQueue.get(key) ?? Promise.resolve();
  let done!: () => void;
  const turn = new Promise<void>((resolveTurn) => (done = resolveTurn));
  const tail = previous.then(() => turn);
  inProcessQueue.set(key, tail);
  await previous;
  try {
    const release = await acquireLock(dir, options);
    try {
      return await action();
    } finally {
      await release();
    }
  } finally {
    done();
    if (inProcessQueue.get(key) === tail) inProcessQueue.delete(key);
  }
}

/** The last holder queued for each folder in this process. */
const inProcessQueue = new Map<string, Promise<void>>();

async function acquireLock(dir: string, options: LockOptions): Promise<() => Promise<void>> {
  const lockPath = join(dir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(8).toString('hex'),
    since: new Date().toISOString(),
  };
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const isAlive = options.isAlive ?? processIsAlive;
  let backoff = FIRST_BACKOFF_MS;
  for (;;) {
    if (await tryCreateLock(lockPath, holder)) {
      return async () => {
        await unlink(lockPath).catch(() => {});
      };
    }
    const current = await readHolder(lockPath);
    if (current && current.host === holder.host && !isAlive(current.pid)) {
      await breakStaleLock(lockPath, current);
      continue;
    }
    if (Date.now() >= deadline) throw lockTimeout(dir, lockPath, current);
    await sleep(Math.min(backoff * (0.5 + Math.random()), Math.max(1, deadline - Date.now())));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

/** Writes the holder to a temp file and links it to the lock path: false if the lock exists. */
async function tryCreateLock(lockPath: string, holder: LockHolder): Promise<boolean> {
  const tempPath = `${lockPath}.${holder.nonce}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tempPath, `${JSON.stringify(holder)}\n`, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    throw new InputError(`cannot lock ${lockPath}: ${messageOf(error)}`, { cause: error });
  }
  try {
    await link(tempPath, lockPath);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw new InputError(`cannot lock ${lockPath}: ${messageOf(error)}`, { cause: error });
  } finally {
    await unlink(tempPath).catch(() => {});
  }
}

/** The holder named in the lock file; undefined if it vanished or is not ours to judge. */
async function readHolder(lockPath: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return parsed as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * Removes a dead holder's lock. Two waiters may both see it dead; so that the second does not
 * remove the lock the first has just taken, breaking is itself done under a breaker lock, and the
 * lock is removed only if it still names the dead holder.
 */
async function breakStaleLock(lockPath: string, dead: LockHolder): Promise<void> {
  const breakerPath = `${lockPath}.break`;
  try {
    await writeFile(breakerPath, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') {
      throw new InputError(`cannot lock ${lockPath}: ${messageOf(error)}`, { cause: error });
    }
    const age = await stat(breakerPath).then(
      (stats) => Date.now() - stats.mtimeMs,
      () => 0,
    );
    if (age > STALE_BREAKER_MS) await unlink(breakerPath).catch(() => {});
    return;
  }
  try {
    const current = await readHolder(lockPath);
    if (current?.nonce === dead.nonce && current.pid === dead.pid) {
      await unlink(lockPath).catch(() => {});
    }
  } finally {
    await unlink(breakerPath).catch(() => {});
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) !== 'ESRCH';
  }
}

function lockTimeout(dir: string, lockPath: string, holder: LockHolder | undefined): RefusedError {
  const who = holder
    ? `process ${holder.pid} on ${holder.host} since ${holder.since}`
    : 'another process';
  return new RefusedError(`${dir} is locked by ${who}`, {
    hint: `wait for it to finish; if no tlskit command is running, remove ${lockPath}`,
  });
}
