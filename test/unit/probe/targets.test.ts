import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, UsageError } from '../../../src/errors.js';
import { parseTarget, readTargetsFile } from '../../../src/probe/targets.js';
import { makeTempDir } from '../../helpers/index.js';

test('host:port, bracketed IPv6, bare hosts and STARTTLS default ports', (t) => {
  t.deepEqual(parseTarget('example.com:8443'), {
    label: 'example.com:8443',
    host: 'example.com',
    port: 8443,
  });
  t.deepEqual(parseTarget('[::1]:443'), { label: '[::1]:443', host: '::1', port: 443 });
  t.deepEqual(parseTarget('::1'), { label: '::1:443', host: '::1', port: 443 });
  t.deepEqual(parseTarget('example.com'), {
    label: 'example.com:443',
    host: 'example.com',
    port: 443,
  });
  t.deepEqual(parseTarget('mail.example.com', 'smtp'), {
    label: 'mail.example.com:25',
    host: 'mail.example.com',
    port: 25,
  });
});

for (const bad of ['example.com:0', 'example.com:65536', 'example.com:http', ':443', 'a b:1']) {
  test(`"${bad}" is a usage error`, (t) => {
    t.throws(() => parseTarget(bad), { instanceOf: UsageError, message: /^target "/ });
  });
}

test('a targets file: comments and blank lines skipped, a bad line named by number', async (t) => {
  const dir = await makeTempDir(t);
  const good = join(dir, 'good.txt');
  await writeFile(good, '# production\nexample.com:443\n\n  [::1]:8443  # local\n');
  t.deepEqual(
    (await readTargetsFile(good)).map((target) => target.label),
    ['example.com:443', '[::1]:8443'],
  );
  const bad = join(dir, 'bad.txt');
  await writeFile(bad, 'example.com:443\nexample.com:99999\n');
  await t.throwsAsync(readTargetsFile(bad), {
    instanceOf: InputError,
    message: /bad\.txt:2: target "example.com:99999"/,
  });
  await t.throwsAsync(readTargetsFile(join(dir, 'missing.txt')), {
    instanceOf: InputError,
    message: /no such file/,
  });
  const empty = join(dir, 'empty.txt');
  await writeFile(empty, '# nothing\n');
  await t.throwsAsync(readTargetsFile(empty), { instanceOf: InputError, message: /no targets/ });
});
