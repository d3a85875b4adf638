import { RefusedError } from '../../src/errors.js';
import { writeFilesAtomic, type FileOutput } from '../../src/io/atomic-write.js';
import type { Terminal } from './terminal.js';

/** The conventional name for "standard output" in --out flags. */
export const STDOUT = '-';

export interface Artifact extends FileOutput {
  /** Secret material (private keys) is never written to a terminal. */
  secret: boolean;
}

/**
 * Writes artifacts to their files (atomically, refusing to clobber without force) or, for
 * `--out -`, to standard output. Returns the paths written to files.
 */
export async function emitArtifacts(
  artifacts: readonly Artifact[],
  terminal: Terminal,
  force: boolean,
): Promise<string[]> {
  const toStdout = artifacts.filter((artifact) => artifact.path === STDOUT);
  for (const artifact of toStdout) {
    if (artifact.secret && terminal.stdoutIsTty) {
      throw new RefusedError('will not print a private key to a terminal', {
        hint: 'use --out FILE, or pipe the output',
      });
    }
  }
  const toFiles = artifacts.filter((artifact) => artifact.path !== STDOUT);
  await writeFilesAtomic(toFiles, { force });
  for (const artifact of toStdout) process.stdout.write(artifact.data);
  return toFiles.map((artifact) => artifact.path);
}
