// Bundles the compiled CLI (dist/commands and everything it imports) into dist/cli: one file per
// command plus shared chunks. Node then loads a few dozen files per run instead of some 300
// modules, which is most of a short command's start-up after oclif's own. The library
// (dist/src, the package's `exports`) and the tests stay unbundled.
import { build } from 'esbuild';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const commandsDir = join(root, 'dist/commands');

await build({
  absWorkingDir: root,
  entryPoints: await commandFiles(commandsDir),
  outdir: 'dist/cli/commands',
  outbase: 'dist/commands',
  chunkNames: '../chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // oclif loads the commands itself and must be the very copy bin/run.js started.
  external: ['@oclif/core', '@oclif/core/*'],
  // Bundled CommonJS packages require() Node's built-ins; ESM output has no require of its own.
  banner: {
    js: "import { createRequire as __tlskitCreateRequire } from 'node:module'; const require = __tlskitCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

/** Every command module: what oclif's pattern strategy would find, without the shared _lib. */
async function commandFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .filter((path) => !relative(dir, path).split('/').includes('_lib'))
    .sort();
}
