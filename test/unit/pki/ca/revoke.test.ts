import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, RefusedError, UsageError } from '../../../../src/errors.js';
import { issueFromCa } from '../../../../src/pki/ca/issue.js';
import { listCa } from '../../../../src/pki/ca/list.js';
import { revokeFromCa } from '../../../../src/pki/ca/revoke.js';
import { makeChain, makeRoot } from './ca-fixture.js';

const clock = new Date('2026-11-23T10:00:00.750Z');

test('revoke by serial marks the line R with the time and reason, as openssl ca -revoke', async (t) => {
  const { work, root } = await makeRoot(t);
  const { serial } = await issueFromCa({
    dir: root,
    commonName: 'a.example.test',
    out: join(work, 'a'),
  });
  const other = await issueFromCa({
    dir: root,
    commonName: 'b.example.test',
    out: join(work, 'b'),
  });
  const result = await revokeFromCa({
    dir: root,
    serial: serial.toLowerCase(),
    reason: 'caCompromise',
    now: clock,
  });
  t.deepEqual(result, {
    ca: root,
    serial,
    subject: '/CN=a.example.test',
    action: 'revoked',
    revokedAt: '2026-11-23T10:00:00.000Z',
    reason: 'cACompromise',
    warnings: [],
  });
  const lines = (await readFile(join(root, 'index.txt'), 'utf8')).split('\n');
  t.regex(
    lines[0] ?? '',
    new RegExp(
      `^R\\t\\d{12}Z\\t261123100000Z,CACompromise\\t${serial}\\tunknown\\t/CN=a\\.example\\.test$`,
    ),
  );
  t.regex(lines[1] ?? '', new RegExp(`^V\\t\\d{12}Z\\t\\t${other.serial}\\t`));
  const listed = await listCa({ dir: root });
  t.deepEqual(
    listed.certificates.map((entry) => [entry.serial, entry.status, entry.reason]),
    [
      [serial, 'revoked', 'cACompromise'],
      [other.serial, 'valid', null],
    ],
  );
});

test('revoke --cert finds the serial, and refuses a certificate from another CA', async (t) => {
  const { work, root, inter } = await makeChain(t);
  const issued = await issueFromCa({
    dir: inter,
    commonName: 'c.example.test',
    out: join(work, 'c'),
  });
  await t.throwsAsync(revokeFromCa({ dir: root, certificatePath: issued.files.certificate }), {
    instanceOf: InputError,
    message: /c\.cert\.pem was not issued by .*root\/ca\.cert\.pem/,
  });
  const result = await revokeFromCa({ dir: inter, certificatePath: issued.files.certificate });
  t.is(result.serial, issued.serial);
  t.is(result.reason, null);
  t.regex(await readFile(join(inter, 'index.txt'), 'utf8'), /^R\t\d{12}Z\t\d{12}Z\t/);
});

test('an unknown serial, a second revocation or a bad reason is refused and changes nothing', async (t) => {
  const { work, root } = await makeRoot(t);
  const { serial } = await issueFromCa({
    dir: root,
    commonName: 'a.example.test',
    out: join(work, 'a'),
  });
  await revokeFromCa({ dir: root, serial, reason: 'superseded' });
  const before = await readFile(join(root, 'index.txt'), 'utf8');
  await t.throwsAsync(revokeFromCa({ dir: root, serial: '0BADC0DE' }), {
    instanceOf: InputError,
    message: `serial 0BADC0DE is not in ${join(root, 'index.txt')}`,
  });
  await t.throwsAsync(revokeFromCa({ dir: root, serial, reason: 'keyCompromise' }), {
    instanceOf: RefusedError,
    message: /is already revoked/,
  });
  await t.throwsAsync(revokeFromCa({ dir: root, serial, reason: 'lost' }), {
    instanceOf: InputError,
    message: /--reason lost/,
  });
  await t.throwsAsync(revokeFromCa({ dir: root, serial: 'xyz' }), {
    instanceOf: InputError,
    message: '"xyz" is not a serial number',
  });
  await t.throwsAsync(revokeFromCa({ dir: root }), { instanceOf: UsageError });
  t.is(await readFile(join(root, 'index.txt'), 'utf8'), before);
});

test('a certificate on hold can be released, or revoked for good keeping its date', async (t) => {
  const { work, root } = await makeRoot(t);
  const held = await issueFromCa({ dir: root, commonName: 'h.example.test', out: join(work, 'h') });
  const first = await revokeFromCa({
    dir: root,
    serial: held.serial,
    reason: 'certificateHold',
    now: clock,
  });
  t.is(first.reason, 'certificateHold');
  const released = await revokeFromCa({ dir: root, serial: held.serial, reason: 'removeFromCRL' });
  t.like(released, { action: 'released', revokedAt: null, reason: null });
  t.regex(await readFile(join(root, 'index.txt'), 'utf8'), /^V\t\d{12}Z\t\t/);
  await t.throwsAsync(revokeFromCa({ dir: root, serial: held.serial, reason: 'removeFromCRL' }), {
    instanceOf: RefusedError,
    message: /is not on hold/,
  });
  await revokeFromCa({ dir: root, serial: held.serial, reason: 'certificateHold', now: clock });
  const later = new Date(clock.getTime() + 86_400_000);
  const final = await revokeFromCa({
    dir: root,
    serial: held.serial,
    reason: 'keyCompromise',
    now: later,
  });
  t.like(final, {
    action: 'reason-changed',
    reason: 'keyCompromise',
    revokedAt: '2026-11-23T10:00:00.000Z',
  });
});

test('reasons openssl ca cannot read are recorded with a warning', async (t) => {
  const { work, root } = await makeRoot(t);
  const { serial } = await issueFromCa({
    dir: root,
    commonName: 'p.example.test',
    out: join(work, 'p'),
  });
  const result = await revokeFromCa({ dir: root, serial, reason: 'privilegeWithdrawn' });
  t.is(result.reason, 'privilegeWithdrawn');
  t.deepEqual(result.warnings, [
    'openssl ca cannot read the reason privilegeWithdrawn: openssl ca -gencrl will refuse this index',
  ]);
});

test('list marks certificates past notAfter as expired, and E lines too', async (t) => {
  const { work, root } = await makeRoot(t);
  const issued = await issueFromCa({
    dir: root,
    commonName: 'e.example.test',
    days: 1,
    out: join(work, 'e'),
  });
  const tomorrow = new Date(Date.now() + 2 * 86_400_000);
  t.is((await listCa({ dir: root, now: tomorrow })).certificates[0]?.status, 'expired');
  t.is((await listCa({ dir: root })).certificates[0]?.status, 'valid');
  const index = join(root, 'index.txt');
  await writeFile(index, (await readFile(index, 'utf8')).replace(/^V/, 'E'));
  t.like((await listCa({ dir: root })).certificates[0], {
    status: 'expired',
    serial: issued.serial,
  });
});
