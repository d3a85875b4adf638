import { open, type FileHandle } from 'node:fs/promises';
import { errorCode, InputError, messageOf } from '../errors.js';

/** Input files are small (keys, certificates, bundles); anything larger is a mistake. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Reads an input file, turning file-system failures into one clear InputError. Reads at most
 * MAX_INPUT_BYTES + 1 bytes, so a device or pipe that never ends (`/dev/zero`) cannot hang it.
 */
export async function readInputFile(path: string): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw readError(path, error);
  }
  let data: Buffer;
  try {
    if ((await handle.stat()).isDirectory()) {
      throw new InputError(`${path} is a folder, not a file`);
    }
    data = await readBounded(handle, MAX_INPUT_BYTES + 1);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw readError(path, error);
  } finally {
    await handle.close();
  }
  if (data.length > MAX_INPUT_BYTES) {
    throw new InputError(`${path} is too large to be a key or certificate`, {
      hint: `input files are limited to ${MAX_INPUT_BYTES / 1024 / 1024} MiB`,
    });
  }
  if (data.length === 0) throw new InputError(`${path} is empty`);
  return data;
}

async function readBounded(handle: FileHandle, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, limit - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

function readError(path: string, error: unknown): InputError {
  switch (errorCode(error)) {
    case 'ENOENT':
      return new InputError(`${path}: no such file`, { cause: error });
    case 'EISDIR':
      return new InputError(`${path} is a folder, not a file`, { cause: error });
    case 'ENOTDIR':
      return new InputError(`${path}: a folder in the path is a file`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${path}: permission denied`, { cause: error });
    default:
      return new InputError(`cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
}
