import test from 'ava';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { BUILT_IN_PROFILES, loadProfile } from '../../../src/pki/profile.js';
import { fixturesDir } from '../../helpers/index.js';

const profilesDir = join(fixturesDir, 'profiles');
const fixture = (name: string) => join(profilesDir, name);

test('every built-in profile loads, under its own name', async (t) => {
  for (const name of BUILT_IN_PROFILES) {
    const profile = await loadProfile(name);
    t.is(profile.name, name);
    t.is(profile.source, `${name}.json`);
  }
});

test('built-in profiles are parsed once and cached', async (t) => {
  t.is(await loadProfile('server'), await loadProfile('server'));
});

test('the built-in profiles say what the brief says', async (t) => {
  const [server, client, serverClient, ca, intermediate] = await Promise.all(
    BUILT_IN_PROFILES.map((name) => loadProfile(name)),
  );
  t.like(server, {
    validityDays: 365,
    basicConstraints: { ca: false, critical: true },
    keyUsage: { usages: ['digitalSignature', 'keyEncipherment'], critical: true },
  });
  t.deepEqual(server?.extendedKeyUsage?.purposes, [
    { name: 'serverAuth', oid: '1.3.6.1.5.5.7.3.1' },
  ]);
  t.deepEqual(
    client?.extendedKeyUsage?.purposes.map((purpose) => purpose.name),
    ['clientAuth'],
  );
  t.deepEqual(
    serverClient?.extendedKeyUsage?.purposes.map((purpose) => purpose.name),
    ['serverAuth', 'clientAuth'],
  );
  t.like(ca, { validityDays: 3650, basicConstraints: { ca: true, critical: true } });
  t.is(ca?.basicConstraints.pathLength, undefined);
  t.is(ca?.extendedKeyUsage, undefined);
  t.deepEqual(ca?.keyUsage, {
    usages: ['digitalSignature', 'keyCertSign', 'cRLSign'],
    critical: true,
  });
  t.like(intermediate, { validityDays: 1825, basicConstraints: { ca: true, pathLength: 0 } });
});

test('valid fixture profiles load, with defaults filled in', async (t) => {
  const minimal = await loadProfile(fixture('valid-minimal.json'));
  t.deepEqual(minimal, {
    name: 'valid-minimal',
    source: fixture('valid-minimal.json'),
    description: '',
    validityDays: 30,
    basicConstraints: { ca: false, critical: true },
  });
  const mtls = await loadProfile(fixture('valid-mtls-by-oid.json'));
  t.deepEqual(mtls.keyUsage, { usages: ['digitalSignature'], critical: true });
  t.deepEqual(mtls.extendedKeyUsage, {
    purposes: [
      { name: 'serverAuth', oid: '1.3.6.1.5.5.7.3.1' },
      { name: '1.3.6.1.5.5.7.3.2', oid: '1.3.6.1.5.5.7.3.2' },
    ],
    critical: true,
  });
  const ca = await loadProfile(fixture('valid-ca-pathlen-2.json'));
  t.deepEqual(ca.basicConstraints, { ca: true, pathLength: 2, critical: true });
});

const invalid: Record<string, string> = {
  'invalid-validity-string.json': '/validityDays: "13 months" is not a number',
  'invalid-validity-zero.json': '/validityDays: 0 is not a whole number from 1 to 36500',
  'invalid-unknown-field.json': '/validity: unknown field',
  'invalid-missing-basic-constraints.json': '/basicConstraints: is missing',
  'invalid-key-usage-name.json': '/keyUsage/usages/1: "signing" is not a key usage',
  'invalid-key-usage-repeated.json': '/keyUsage/usages/1: "digitalSignature" is repeated',
  'invalid-extended-key-usage-name.json':
    '/extendedKeyUsage/usages/0: "server auth" is not a key purpose',
  'invalid-pathlen-on-leaf.json': '/basicConstraints/pathLength: is allowed only when ca is true',
  'invalid-ca-without-cert-sign.json': '/keyUsage/usages: a CA profile needs keyCertSign',
  'invalid-leaf-with-cert-sign.json':
    '/keyUsage/usages: keyCertSign needs /basicConstraints/ca true',
  'invalid-critical-not-boolean.json': '/basicConstraints/critical: "yes" is not true or false',
  'invalid-not-json.json': 'not valid JSON',
  'invalid-not-an-object.json': '/: ["server"] is not an object',
};

for (const [file, expected] of Object.entries(invalid)) {
  test(`${file} is refused, naming the file and the field`, async (t) => {
    const error = await t.throwsAsync(loadProfile(fixture(file)), { instanceOf: InputError });
    t.true(error?.message.startsWith(`${fixture(file)}: ${expected}`), `got: ${error?.message}`);
  });
}

test('every invalid-* fixture has a case above', async (t) => {
  const files = (await readdir(profilesDir)).filter((name) => name.startsWith('invalid-'));
  t.deepEqual(files.sort(), Object.keys(invalid).sort());
});

test('an unknown name is refused with the list of built-ins', async (t) => {
  const error = await t.throwsAsync(loadProfile('webserver'), { instanceOf: InputError });
  t.is(error?.message, 'unknown profile "webserver"');
  t.regex(error?.hint ?? '', /server, client, server-client, ca, intermediate/);
});

test('a missing profile file is an input error naming it', async (t) => {
  await t.throwsAsync(loadProfile(fixture('nope.json')), {
    instanceOf: InputError,
    message: /nope\.json: no such file/,
  });
});
