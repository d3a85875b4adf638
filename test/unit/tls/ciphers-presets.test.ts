import test from 'ava';
import { createSecureContext } from 'node:tls';
import { RefusedError } from '../../../src/errors.js';
import { cipherStringName, expandCipherString } from '../../../src/tls/ciphers/expand.js';
import { MOZILLA_PRESETS, mozillaPreset } from '../../../src/tls/ciphers/mozilla-presets.js';

test('modern: TLS 1.3 only, its three suites, no TLS 1.2 list', (t) => {
  const modern = mozillaPreset('modern');
  t.like(modern, { guidelines: '6.0', withdrawn: false, minVersion: 'TLSv1.3', dhParamSize: null });
  t.is(
    modern.cipherString,
    'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
  );
  t.deepEqual(modern.ciphers, []);
});

test('intermediate (6.0): TLS 1.2 + 1.3, ECDHE with AES-GCM or ChaCha20 only, no DHE', (t) => {
  const intermediate = mozillaPreset('intermediate');
  t.is(intermediate.minVersion, 'TLSv1.2');
  t.is(intermediate.ciphers.length, 6);
  t.true(
    intermediate.ciphers.every((name) => /^ECDHE-(ECDSA|RSA)-(AES\d+-GCM|CHACHA20)/.test(name)),
  );
  t.false(intermediate.serverPreferredOrder);
  t.deepEqual(intermediate.notes, []);
});

test('old is refused without allowWeak, and is the labelled 5.8 profile with it', (t) => {
  t.throws(() => mozillaPreset('old'), { instanceOf: RefusedError, message: /withdrew/ });
  const old = mozillaPreset('old', { allowWeak: true });
  t.like(old, { guidelines: '5.8', withdrawn: true, minVersion: 'TLSv1', dhParamSize: 1024 });
  t.true(old.cipherString.endsWith(':DES-CBC3-SHA:@SECLEVEL=0'));
  t.true(old.notes.some((note) => note.includes('@SECLEVEL=0')));
  t.true(old.notes.some((note) => note.includes('dhparam of 1024 bits')));
});

test('ecdhCurve holds exactly the groups this Node has, in Mozilla order', (t) => {
  for (const name of MOZILLA_PRESETS) {
    const preset = mozillaPreset(name, { allowWeak: true });
    const supported = preset.ecdhCurve.split(':');
    t.deepEqual(
      preset.groups.filter((group) => !preset.unsupportedGroups.includes(group)),
      supported,
    );
    t.notThrows(() => createSecureContext({ ecdhCurve: preset.ecdhCurve }));
    for (const group of preset.unsupportedGroups) {
      t.throws(() => createSecureContext({ ecdhCurve: group }));
    }
  }
});

test('each ready cipher string gives Node exactly its profile (less what Node lacks)', async (t) => {
  for (const name of MOZILLA_PRESETS) {
    const preset = mozillaPreset(name, { allowWeak: true });
    const list = await expandCipherString(preset.cipherString);
    const expected = [...preset.ciphersuites, ...preset.ciphers].filter(
      (suite) => suite !== 'DES-CBC3-SHA', // no 3DES in Node's OpenSSL 3
    );
    t.deepEqual(list.suites.map(cipherStringName), expected, name);
    t.true(
      list.suites.every((suite) => suite.usable),
      name,
    );
  }
});
