/**
 * Paths that only a terminal takes (progress spinners), run under a pseudo-terminal made by
 * util-linux's script(1): the bundle's lazily loaded pieces must work there too.
 */
import test from 'ava';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { makeTempDir, repoRoot, runProgram } from '../helpers/index.js';

const binRun = join(repoRoot, 'bin/run.js');

/** Runs tlskit with stdin, stdout and stderr on a pseudo-terminal; returns what it printed. */
function onTerminal(args: readonly string[], cwd: string, input?: string) {
  const command = [process.execPath, binRun, ...args].map((word) => `'${word}'`).join(' ');
  return runProgram('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd,
    ...(input === undefined ? {} : { input }),
    env: { TERM: 'xterm', NO_COLOR: '1' },
    timeoutMs: 60_000,
  });
}

test('a slow RSA key shows its progress on a terminal, then the key is written', async (t) => {
  const dir = await makeTempDir(t);
  const result = await onTerminal(
    ['keygen', '--type', 'rsa', '--bits', '3072', '-o', 'k.pem'],
    dir,
  );
  t.is(result.code, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /Generating an RSA 3072-bit key\.\.\. done/);
  t.notRegex(result.stdout, /internal error/);
  await t.notThrowsAsync(access(join(dir, 'k.pem')));
});

test('Ctrl+D at a passphrase prompt stops the command (exit 130, one line), writing nothing', async (t) => {
  const dir = await makeTempDir(t);
  const result = await onTerminal(
    ['keygen', '--type', 'ec', '--encrypt', '-o', 'k.pem'],
    dir,
    '\x04',
  );
  t.is(result.code, ExitCode.interrupted, result.stdout);
  t.regex(result.stdout, /tlskit: stopped at the prompt, before an answer/);
  t.notRegex(result.stdout, /internal error/);
  await t.throwsAsync(access(join(dir, 'k.pem')));
});
