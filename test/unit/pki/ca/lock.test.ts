import test from 'ava';
import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RefusedError } from '../../../../src/errors.js';
import { LOCK_FILE, withFolderLock } from '../../../../src/pki/ca/lock.js';
import { makeTempDir } from '../../../helpers/index.js';

test('holders run one at a time, and the lock is gone afterwards', async (t) => {
  const dir = await makeTempDir(t);
  let inside = 0;
  let most = 0;
  const work = async () => {
    inside++;
    most = Math.max(most, inside);
    await sleep(5);
    inside--;
  };
  await Promise.all(Array.from({ length: 8 }, () => withFolderLock(dir, work)));
  t.is(most, 1);
  t.deepEqual(await readdir(dir), []);
});

test('the lock is released when the action fails', async (t) => {
  const dir = await makeTempDir(t);
  await t.throwsAsync(
    withFolderLock(dir, async () => {
      throw new Error('boom');
    }),
    { message: 'boom' },
  );
  t.deepEqual(await readdir(dir), []);
  t.is(await withFolderLock(dir, async () => 'again'), 'again');
});

test('a lock left by a dead process is broken', async (t) => {
  const dir = await makeTempDir(t);
  const dead = { pid: 999_999, host: hostname(), nonce: 'dead', since: '2026-01-01T00:00:00Z' };
  await writeFile(join(dir, LOCK_FILE), JSON.stringify(dead));
  const result = await withFolderLock(dir, async () => 'taken', {
    timeoutMs: 2_000,
    isAlive: (pid) => pid !== dead.pid,
  });
  t.is(result, 'taken');
  t.deepEqual(await readdir(dir), []);
});

test('a live holder makes others time out with one clear line naming it', async (t) => {
  const dir = await makeTempDir(t);
  const live = { pid: process.pid, host: hostname(), nonce: 'live', since: '2026-01-01T00:00:00Z' };
  await writeFile(join(dir, LOCK_FILE), JSON.stringify(live));
  const started = Date.now();
  const error = await t.throwsAsync(
    withFolderLock(dir, async () => 'never', { timeoutMs: 150 }),
    {
      instanceOf: RefusedError,
    },
  );
  t.true(Date.now() - started < 2_000);
  t.is(
    error?.message,
    `${dir} is locked by process ${process.pid} on ${hostname()} since 2026-01-01T00:00:00Z`,
  );
  t.regex(error?.hint ?? '', new RegExp(`remove ${join(dir, LOCK_FILE)}`));
  t.deepEqual(await readdir(dir), [LOCK_FILE], 'the live lock is left alone');
});

test('a lock from another host is never judged stale', async (t) => {
  const dir = await makeTempDir(t);
  const remote = {
    pid: 999_999,
    host: 'elsewhere.invalid',
    nonce: 'r',
    since: '2026-01-01T00:00:00Z',
  };
  await writeFile(join(dir, LOCK_FILE), JSON.stringify(remote));
  await t.throwsAsync(
    withFolderLock(dir, async () => 'never', { timeoutMs: 100, isAlive: () => false }),
    { instanceOf: RefusedError, message: /process 999999 on elsewhere\.invalid/ },
  );
});
