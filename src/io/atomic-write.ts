import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode, FileExistsError, InputError, messageOf } from '../errors.js';

/** Private keys and anything else secret. */
export const SECRET_FILE_MODE = 0o600;
/** Certificates, CSRs, public keys. */
export const PUBLIC_FILE_MODE = 0o644;

export interface FileOutput {
  path: string;
  data: string | Uint8Array;
  mode: number;
}

export interface WriteOptions {
  /** Replace existing files. Without it an existing file is never touched. */
  force?: boolean;
  /**
   * fsync each file before it is committed, so that a power loss cannot leave it short (default
   * true). Writers of files that can be made again byte for byte may skip it.
   */
  durable?: boolean;
}

/** Writes files so that each one appears whole or not at all, with its final mode from creation. */
export type FileWriter = (outputs: readonly FileOutput[], options?: WriteOptions) => Promise<void>;

/** Temp files of writes in flight, removed on interruption by removeStagedFiles(). */
const stagedFiles = new Set<string>();

/**
 * Writes files so that each appears whole or not at all. Devices and pipes (/dev/null,
 * /dev/stdout, a FIFO) are written into directly, after the files, as openssl does: a file
 * renamed over one would replace the device itself.
 */
export const writeFilesAtomic: FileWriter = async (outputs, options = {}) => {
  const isStream = await Promise.all(outputs.map((output) => isStreamTarget(output.path)));
  await commitFiles(
    outputs.filter((_, index) => !isStream[index]),
    options.force === true,
    options.durable !== false,
  );
  for (const output of outputs.filter((_, index) => isStream[index])) {
    await writeFile(output.path, output.data).catch((error: unknown) => {
      throw writeError(output.path, error);
    });
  }
};

/**
 * Stages every output as a temp file beside its target (created with the final mode, fsynced
 * when durable), then commits them all: link() for new files, which refuses to clobber even in a
 * race, or rename() with force. A failure anywhere removes the temp files and whatever this call
 * created. Files are independent, so each step runs for all of them at once: a fixtures folder of
 * forty files costs about one fsync, not forty in a row.
 */
async function commitFiles(
  outputs: readonly FileOutput[],
  force: boolean,
  durable: boolean,
): Promise<void> {
  if (!force) await Promise.all(outputs.map((output) => refuseExisting(output.path)));
  const staging = await Promise.allSettled(outputs.map((output) => stage(output, durable)));
  const staged = staging.flatMap((result, index) =>
    result.status === 'fulfilled' ? [{ output: outputs[index]!, tempPath: result.value }] : [],
  );
  try {
    throwFirstRejection(staging);
    const commits = await Promise.allSettled(
      staged.map(({ output, tempPath }) => commit(tempPath, output.path, force)),
    );
    if (!force && commits.some((result) => result.status === 'rejected')) {
      await Promise.all(
        staged
          .filter((_, index) => commits[index]!.status === 'fulfilled')
          .map(({ output }) => unlink(output.path).catch(() => {})),
      );
    }
    throwFirstRejection(commits);
  } finally {
    await Promise.all(staged.map(({ tempPath }) => removeStaged(tempPath)));
  }
}

/** A character device or a FIFO, possibly behind a symlink (/dev/stdout → /proc/self/fd/1). */
async function isStreamTarget(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats !== undefined && (stats.isCharacterDevice() || stats.isFIFO());
}

function throwFirstRejection(results: readonly PromiseSettledResult<unknown>[]): void {
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number,
  options: WriteOptions = {},
): Promise<void> {
  await writeFilesAtomic([{ path, data, mode }], options);
}

/** Synchronously removes temp files of interrupted writes (for SIGINT/SIGTERM handlers). */
export function removeStagedFiles(): void {
  for (const path of stagedFiles) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  stagedFiles.clear();
}

async function refuseExisting(path: string): Promise<void> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isDirectory()) throw new InputError(`${path} is a folder, not a file`);
  if (stats) throw new FileExistsError(path);
}

async function stage(output: FileOutput, durable: boolean): Promise<string> {
  const tempPath = join(
    dirname(output.path),
    `.${basename(output.path)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let handle;
  try {
    handle = await open(tempPath, 'wx', output.mode);
  } catch (error) {
    throw writeError(output.path, error);
  }
  stagedFiles.add(tempPath);
  try {
    // The umask may have narrowed the mode at creation; set it exactly (never wider than asked).
    await handle.chmod(output.mode);
    await handle.writeFile(output.data);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await removeStaged(tempPath);
    throw writeError(output.path, error);
  }
  await handle.close();
  return tempPath;
}

async function commit(tempPath: string, path: string, force: boolean): Promise<void> {
  try {
    if (force) await rename(tempPath, path);
    else await link(tempPath, path);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') throw new FileExistsError(path);
    throw writeError(path, error);
  }
}

async function removeStaged(tempPath: string): Promise<void> {
  await unlink(tempPath).catch(() => {});
  stagedFiles.delete(tempPath);
}

function writeError(path: string, error: unknown): InputError {
  switch (errorCode(error)) {
    case 'ENOENT':
      return new InputError(`cannot write ${path}: folder ${dirname(path)} does not exist`, {
        cause: error,
      });
    case 'EISDIR':
    case 'ENOTEMPTY':
      return new InputError(`${path} is a folder, not a file`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new InputError(`cannot write ${path}: permission denied`, { cause: error });
    default:
      return new InputError(`cannot write ${path}: ${messageOf(error)}`, { cause: error });
  }
}
