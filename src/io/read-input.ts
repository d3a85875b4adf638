import { readFile } from 'node:fs/promises';
import { errorCode, InputError, messageOf } from '../errors.js';

/** Input files are small (keys, certificates, bundles); anything larger is a mistake. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Reads an input file, turning file-system failures into one clear InputError. */
export async function readInputFile(path: string): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    switch (errorCode(error)) {
      case 'ENOENT':
        throw new InputError(`${path}: no such file`, { cause: error });
      case 'EISDIR':
        throw new InputError(`${path} is a folder, not a file`, { cause: error });
      case 'EACCES':
      case 'EPERM':
        throw new InputError(`${path}: permission denied`, { cause: error });
      default:
        throw new InputError(`cannot read ${path}: ${messageOf(error)}`, { cause: error });
    }
  }
  if (data.length > MAX_INPUT_BYTES)
    throw new InputError(`${path} is too large to be a key or certificate`);
  if (data.length === 0) throw new InputError(`${path} is empty`);
  return data;
}
