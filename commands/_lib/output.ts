import { resolve } from 'node:path';
import { RefusedError, UsageError } from '../../src/errors.js';
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
  refuseSharedPaths(artifacts);
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

/** Two outputs to one file would silently lose the first (a private key, say). */
function refuseSharedPaths(artifacts: readonly Artifact[]): void {
  const seen = new Set<string>();
  for (const { path } of artifacts) {
    const key = resolve(path);
    if (path !== STDOUT && seen.has(key)) {
      throw new UsageError(`two outputs name the same file: ${path}`, {
        hint: 'give each output its own file',
      });
    }
    seen.add(key);
  }
}
