import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../errors.js';

const PACKAGE_NAME = 'tlskit';

let cachedRoot: string | undefined;

/**
 * The folder of tlskit's package.json. Compiled code runs from dist/src/…, an installed copy from
 * node_modules/tlskit/dist/src/…, so the depth differs: walk up until our package.json appears.
 */
export function packageRoot(): string {
  cachedRoot ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return cachedRoot;
}

/** A path inside templates/ (shipped with the package: see "files" in package.json). */
export function templatePath(...segments: string[]): string {
  return join(packageRoot(), 'templates', ...segments);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isOurPackage(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new InternalError(`cannot find the ${PACKAGE_NAME} package folder above ${start}`);
    }
  }
}

function isOurPackage(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
