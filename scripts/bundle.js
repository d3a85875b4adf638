// Bundles the compiled CLI, oclif included, into dist/cli: one file per command, the entry
// bin/run.js imports (run.js), and shared chunks. Node then loads a few dozen files per run
// instead of some 400 modules, which is most of a short command's start-up. The library
// (dist/src, the package's `exports`) and the tests stay unbundled.
import { build } from 'esbuild';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const commandsDir = join(root, 'dist/commands');

// Chunk names carry content hashes: clear out the previous build's rather than pile them up.
await rm(join(root, 'dist/cli'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    run: 'dist/commands/_lib/run.js',
    ...Object.fromEntries(
      (await commandFiles(commandsDir)).map((path) => [
        join('commands', relative(commandsDir, path).replace(/\.js$/, '')),
        path,
      ]),
    ),
  },
  outdir: 'dist/cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // oclif's development mode (ts-node/tsx) is never used from the bundle.
  external: ['typescript'],
  // Less for V8 to scan at every start (2% of a fixtures run); names stay, so --debug's stack
  // traces still say which function failed.
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS packages require() Node's built-ins; ESM output has no require of its own.
  banner: {
    js: "import { createRequire as __tlskitCreateRequire } from 'node:module'; const require = __tlskitCreateRequire(import.meta.url);",
  },
  plugins: [plainCommandSort()],
  logLevel: 'error',
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

/**
 * oclif sorts the command list with localeCompare() at every start, which makes V8 build ICU's
 * list of available locales: about 10 ms, a tenth of `tlskit --version`. Command IDs are lower-
 * case ASCII words and colons, whose code-unit order is the same, so the bundle compares them
 * plainly. The build fails if oclif's line changes, rather than bundle it unpatched.
 */
function plainCommandSort() {
  const original = '.sort((a, b) => a.id.localeCompare(b.id))';
  const plain = '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))';
  return {
    name: 'plain-command-sort',
    setup(bundler) {
      bundler.onLoad(
        { filter: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/ },
        async (args) => {
          const source = await readFile(args.path, 'utf8');
          if (source.split(original).length !== 2) {
            throw new Error(`${args.path}: expected one "${original}" to replace`);
          }
          return { contents: source.replace(original, plain), loader: 'js' };
        },
      );
    },
  };
}
