import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, UsageError } from '../../../src/errors.js';
import {
  checkNewPassphrase,
  parsePassphraseSpec,
  resolvePassphrase,
  type PassphraseSources,
  type PassphraseSpec,
} from '../../../src/io/passphrase.js';
import { makeTempDir } from '../../helpers/index.js';

/** Sources that record what was read, so a test can tell which one a spec used. */
function fakeSources(env: Record<string, string | undefined> = {}) {
  const reads: string[] = [];
  const sources: PassphraseSources = {
    env,
    readStdin: async () => {
      reads.push('stdin');
      return 'from stdin\nsecond line\n';
    },
    readFd: async (fd) => {
      reads.push(`fd ${fd}`);
      return 'from fd\r\nsecond line\r\n';
    },
  };
  return { sources, reads };
}

const specs: Array<[string, PassphraseSpec]> = [
  ['pass:hunter2', { kind: 'pass', value: 'hunter2' }],
  ['pass:a:b c', { kind: 'pass', value: 'a:b c' }],
  ['pass:', { kind: 'pass', value: '' }],
  ['env:TLSKIT_PASS', { kind: 'env', name: 'TLSKIT_PASS' }],
  ['file:/run/secrets/key pass', { kind: 'file', path: '/run/secrets/key pass' }],
  ['fd:3', { kind: 'fd', fd: 3 }],
  ['stdin', { kind: 'stdin' }],
];

for (const [spec, parsed] of specs) {
  test(`parses ${spec}`, (t) => {
    t.deepEqual(parsePassphraseSpec(spec), parsed);
  });
}

const badSpecs: Array<[string, RegExp]> = [
  ['env:', /env: needs the name of an environment variable/],
  ['file:', /file: needs a path/],
  ['fd:', /fd: needs a file descriptor number/],
  ['fd:three', /fd: needs a file descriptor number/],
  ['hunter2', /^--passout: the value is not a passphrase source$/],
  ['Pass:hunter2', /the value is not a passphrase source/],
  ['PASS:hunter2', /the value is not a passphrase source/],
  [' pass:hunter2', /the value is not a passphrase source/],
  ['password:hunter2', /the value is not a passphrase source/],
  ['hunter2:x', /the value is not a passphrase source/],
  ['STDIN', /the value is not a passphrase source/],
];

for (const [spec, message] of badSpecs) {
  test(`refuses ${JSON.stringify(spec)} with a usage error naming the flag, not the value`, (t) => {
    const error = t.throws(() => parsePassphraseSpec(spec, '--passout'), {
      instanceOf: UsageError,
    });
    t.regex(error?.message ?? '', message);
    t.true(error?.message.startsWith('--passout'));
    t.is(error?.exitCode, 2);
    const shown = `${error?.message} ${error?.hint ?? ''}`;
    t.false(shown.includes('hunter2'), shown);
    t.false(shown.includes('three'), shown);
  });
}

test('the flag defaults to --passin', (t) => {
  t.throws(() => parsePassphraseSpec('nonsense'), { message: /^--passin: / });
});

test('pass: is the literal value', async (t) => {
  const { sources, reads } = fakeSources();
  t.is(await resolvePassphrase({ kind: 'pass', value: 'p w:d' }, sources), 'p w:d');
  t.deepEqual(reads, []);
});

test('env: reads the variable, even an empty one', async (t) => {
  const { sources } = fakeSources({ TLSKIT_PASS: 'from env', EMPTY: '' });
  t.is(await resolvePassphrase({ kind: 'env', name: 'TLSKIT_PASS' }, sources), 'from env');
  t.is(await resolvePassphrase({ kind: 'env', name: 'EMPTY' }, sources), '');
});

test('env: with an unset variable is a usage error naming it', async (t) => {
  const { sources } = fakeSources({});
  const error = await t.throwsAsync(resolvePassphrase({ kind: 'env', name: 'NOPE' }, sources), {
    instanceOf: UsageError,
  });
  t.regex(error?.message ?? '', /environment variable NOPE is not set/);
});

test('file: reads the first line, as openssl does', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'pass.txt');
  await writeFile(path, 'first line\r\nsecond line\n');
  const { sources } = fakeSources();
  t.is(await resolvePassphrase({ kind: 'file', path }, sources), 'first line');
  await writeFile(path, 'no newline');
  t.is(await resolvePassphrase({ kind: 'file', path }, sources), 'no newline');
});

test('file: that is missing or empty is an input error naming the file', async (t) => {
  const dir = await makeTempDir(t);
  const { sources } = fakeSources();
  const missing = join(dir, 'missing.txt');
  await t.throwsAsync(resolvePassphrase({ kind: 'file', path: missing }, sources), {
    instanceOf: InputError,
    message: `${missing}: no such file`,
  });
  const empty = join(dir, 'empty.txt');
  await writeFile(empty, '');
  await t.throwsAsync(resolvePassphrase({ kind: 'file', path: empty }, sources), {
    instanceOf: InputError,
    message: `${empty} is empty`,
  });
});

test('fd: reads the first line of that descriptor', async (t) => {
  const { sources, reads } = fakeSources();
  t.is(await resolvePassphrase({ kind: 'fd', fd: 3 }, sources), 'from fd');
  t.deepEqual(reads, ['fd 3']);
});

test('stdin reads the first line of standard input', async (t) => {
  const { sources, reads } = fakeSources();
  t.is(await resolvePassphrase({ kind: 'stdin' }, sources), 'from stdin');
  t.deepEqual(reads, ['stdin']);
});

test('a new passphrase shorter than 4 characters is an input error', (t) => {
  for (const short of ['', 'a', 'abc']) {
    const error = t.throws(() => checkNewPassphrase(short), { instanceOf: InputError });
    t.regex(error?.message ?? '', /too short \(at least 4 characters\)/);
    t.is(error?.exitCode, 3);
  }
  t.is(checkNewPassphrase('abcd'), 'abcd');
});

test('a descriptor or stdin that cannot be read is an input error naming it', async (t) => {
  const closed = Object.assign(new Error('EBADF: bad file descriptor, read'), { code: 'EBADF' });
  const sources: PassphraseSources = {
    env: {},
    readStdin: async () => {
      throw new Error('stream destroyed');
    },
    readFd: async () => {
      throw closed;
    },
  };
  await t.throwsAsync(resolvePassphrase({ kind: 'fd', fd: 7 }, sources), {
    instanceOf: InputError,
    message: 'cannot read a passphrase from file descriptor 7: it is not open',
  });
  await t.throwsAsync(resolvePassphrase({ kind: 'stdin' }, sources), {
    instanceOf: InputError,
    message: 'cannot read a passphrase from standard input: stream destroyed',
  });
});
