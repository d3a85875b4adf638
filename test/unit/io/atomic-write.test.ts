import test from 'ava';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  writeFileAtomic,
  writeFilesAtomic,
  SECRET_FILE_MODE,
} from '../../../src/io/atomic-write.js';
import { FileExistsError, InputError } from '../../../src/errors.js';
import { makeTempDir } from '../../helpers/index.js';

test('writes a new file with its mode from creation and leaves no temp file', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'key.pem');
  await writeFileAtomic(path, 'secret', SECRET_FILE_MODE);
  t.is(await readFile(path, 'utf8'), 'secret');
  t.is((await stat(path)).mode & 0o777, 0o600);
  t.deepEqual(await readdir(dir), ['key.pem']);
});

test('refuses to overwrite without force, byte for byte', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'cert.pem');
  await writeFile(path, 'original');
  await t.throwsAsync(writeFileAtomic(path, 'new', 0o644), { instanceOf: FileExistsError });
  t.is(await readFile(path, 'utf8'), 'original');
  t.deepEqual(await readdir(dir), ['cert.pem']);
});

test('overwrites with force', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'cert.pem');
  await writeFile(path, 'original');
  await writeFileAtomic(path, 'new', 0o644, { force: true });
  t.is(await readFile(path, 'utf8'), 'new');
});

test('a multi-file write that cannot complete writes nothing', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'b.pem'), 'keep');
  await t.throwsAsync(
    writeFilesAtomic([
      { path: join(dir, 'a.pem'), data: 'a', mode: 0o644 },
      { path: join(dir, 'b.pem'), data: 'b', mode: 0o644 },
    ]),
    { instanceOf: FileExistsError },
  );
  t.deepEqual((await readdir(dir)).sort(), ['b.pem']);
  t.is(await readFile(join(dir, 'b.pem'), 'utf8'), 'keep');
});

test('a folder or a missing folder as target is a clear input error', async (t) => {
  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'sub'));
  await t.throwsAsync(writeFileAtomic(join(dir, 'sub'), 'x', 0o644), {
    instanceOf: InputError,
    message: /is a folder/,
  });
  await t.throwsAsync(writeFileAtomic(join(dir, 'nope', 'x.pem'), 'x', 0o644), {
    instanceOf: InputError,
    message: /does not exist/,
  });
});

test('a multi-file write whose staging fails for one file leaves no file and no temp file', async (t) => {
  const dir = await makeTempDir(t);
  const outputs = Array.from({ length: 12 }, (_, index) => ({
    path: join(dir, `file-${index}.pem`),
    data: `data ${index}`,
    mode: 0o644,
  }));
  outputs.push({ path: join(dir, 'missing', 'last.pem'), data: 'x', mode: 0o644 });
  await t.throwsAsync(writeFilesAtomic(outputs), { instanceOf: InputError, message: /missing/ });
  t.deepEqual(await readdir(dir), []);
});

test('two overlapping writes at once: one wins whole, the other leaves nothing of its own', async (t) => {
  const dir = await makeTempDir(t);
  const outputsOf = (writer: string, names: string[]) =>
    names.map((name) => ({ path: join(dir, name), data: writer, mode: 0o644 }));
  // Both pass the "already there?" check before either commits, so the loser meets the
  // winner's shared.pem at link() time and must take back what it had already linked.
  const results = await Promise.allSettled([
    writeFilesAtomic(outputsOf('first', ['first-1.pem', 'first-2.pem', 'shared.pem'])),
    writeFilesAtomic(outputsOf('second', ['second-1.pem', 'second-2.pem', 'shared.pem'])),
  ]);
  const winners = results.flatMap((result, index) =>
    result.status === 'fulfilled' ? [index === 0 ? 'first' : 'second'] : [],
  );
  t.is(winners.length, 1);
  const loser = results.find((result) => result.status === 'rejected');
  t.true(loser?.status === 'rejected' && loser.reason instanceof FileExistsError);
  const winner = winners[0]!;
  t.deepEqual((await readdir(dir)).sort(), [`${winner}-1.pem`, `${winner}-2.pem`, 'shared.pem']);
  t.is(await readFile(join(dir, 'shared.pem'), 'utf8'), winner);
});

test('a FIFO (like /dev/null or /dev/stdout) is written into, never replaced', async (t) => {
  const dir = await makeTempDir(t);
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  // A non-blocking reader, so that the writer can open the FIFO and nothing can hang.
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    for (const force of [false, true]) {
      const data = `written with force=${force}`;
      await writeFilesAtomic([{ path: fifo, data, mode: SECRET_FILE_MODE }], { force });
      t.true((await stat(fifo)).isFIFO());
      const buffer = Buffer.alloc(64);
      t.is(buffer.toString('utf8', 0, readSync(reader, buffer)), data);
    }
  } finally {
    closeSync(reader);
  }
  t.deepEqual(await readdir(dir), ['pipe']);
});
