import test from 'ava';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesDir, makeTempDir, runTlskit } from './index.js';

/** A file of the malformed-input corpus (fixtures/malformed/). */
export const corpus = (name: string): string => join(fixturesDir, 'malformed', name);

/** One bad command line and what tlskit must say about it. */
export interface BadInput {
  /** argv after `tlskit`; `out` is a path in the test's empty folder, `dir` an empty sub-folder. */
  args: (out: string, dir: string) => string[];
  exitCode: number;
  /** What the one stderr line must say. */
  says: RegExp;
}

/**
 * Registers one ava test per case: a non-zero exit code (the expected one), exactly one stderr
 * line starting `tlskit: ` and naming the problem, no stack trace, and no file written.
 */
export function testBadInputs(cases: Record<string, BadInput>): void {
  for (const [title, bad] of Object.entries(cases)) {
    test(title, async (t) => {
      const dir = await makeTempDir(t);
      const sub = join(dir, 'sub');
      await mkdir(sub);
      const result = await runTlskit(bad.args(join(dir, 'out.pem'), sub), { cwd: dir });
      const lines = result.stderr.trimEnd().split('\n');
      t.is(result.code, bad.exitCode, result.stderr);
      t.is(lines.length, 1, `expected one stderr line, got:\n${result.stderr}`);
      t.regex(lines[0] ?? '', /^tlskit: /);
      t.regex(lines[0] ?? '', bad.says);
      t.notRegex(result.stderr, /\n\s+at /, 'no stack trace');
      t.deepEqual(await readdir(dir), ['sub'], 'no file written');
      t.deepEqual(await readdir(sub), []);
    });
  }
}
