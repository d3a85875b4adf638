import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, runTlskit } from '../helpers/index.js';

const packageJson = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
};

test('--version names tlskit, its version, the platform and Node', async (t) => {
  const result = await runTlskit(['--version']);
  t.is(result.code, 0);
  t.is(
    result.stdout.trim(),
    `tlskit/${packageJson.version} ${process.platform}-${process.arch} node-${process.version}`,
  );
});

test('--help lists every command and topic, in order, from the bundled CLI', async (t) => {
  const result = await runTlskit(['--help']);
  t.is(result.code, 0);
  const section = (title: string) =>
    (result.stdout.split(`\n${title}\n`)[1] ?? '')
      .split('\n\n')[0]!
      .split('\n')
      .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
  const topics = section('TOPICS');
  const commands = section('COMMANDS');
  t.deepEqual(topics, ['ca', 'fixtures', 'pfx']);
  for (const name of [
    'ciphers',
    'connect',
    'csr',
    'demo',
    'dhparam',
    'inspect',
    'keygen',
    'probe',
    'serve',
    'sign',
    'verify',
  ]) {
    t.true(commands.includes(name), name);
  }
  t.deepEqual(commands, [...commands].sort());
});

test('a topic lists its commands', async (t) => {
  const result = await runTlskit(['ca', '--help']);
  t.is(result.code, 0);
  for (const name of ['crl', 'init', 'intermediate', 'issue', 'list', 'revoke']) {
    t.regex(result.stdout, new RegExp(`^ {2}ca ${name} `, 'm'));
  }
});
