import test, { type ExecutionContext } from 'ava';
import { getCiphers } from 'node:tls';
import { runTlskit, type RunResult } from '../helpers/index.js';

/*
 * `tlskit ciphers` as a user runs it: argv in, exit code, lines and JSON out.
 */

interface SuiteJson {
  id: string;
  iana: string;
  openssl: string;
  protocol: string;
  usable: boolean;
}

interface CiphersJson {
  source: string;
  spec: string | null;
  suites: SuiteJson[];
  preset: null | {
    name: string;
    minVersion: string;
    cipherString: string;
    ecdhCurve: string;
    withdrawn: boolean;
    missingSuites: string[];
  };
}

const SUITE_KEYS = [
  'aead',
  'au',
  'enc',
  'forwardSecrecy',
  'iana',
  'id',
  'kx',
  'mac',
  'notes',
  'openssl',
  'protocol',
  'usable',
];

function parseJson(t: ExecutionContext, result: RunResult): CiphersJson {
  t.is(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout) as CiphersJson;
  t.deepEqual(Object.keys(json).sort(), ['preset', 'source', 'spec', 'suites']);
  for (const suite of json.suites) t.deepEqual(Object.keys(suite).sort(), SUITE_KEYS);
  return json;
}

test('no SPEC: every suite tls.getCiphers() names, one line each after the heading', async (t) => {
  const result = await runTlskit(['ciphers']);
  t.is(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  t.regex(
    lines[0] ?? '',
    /^Cipher suites this Node supports \(tls\.getCiphers\(\)\): \d+ suites, \d+ usable by Node$/,
  );
  t.is(lines.length, getCiphers().length + 1);
  t.regex(
    lines[1] ?? '',
    /^0x130\d {2}TLS_AES_\S+ +TLSv1\.3 +Kx=any +Au=any +Enc=\S+ +Mac=AEAD +FS, AEAD/,
  );
});

test('a SPEC: the suites in order, like openssl ciphers -v', async (t) => {
  const result = await runTlskit(['ciphers', 'ECDHE+AESGCM:!aNULL']);
  t.is(result.code, 0, result.stderr);
  t.deepEqual(result.stdout.trimEnd().split('\n'), [
    'ECDHE+AESGCM:!aNULL: 7 suites, 7 usable by Node',
    '0x1302  TLS_AES_256_GCM_SHA384         TLSv1.3  Kx=any   Au=any    Enc=AESGCM(256)             Mac=AEAD  FS, AEAD',
    '0x1303  TLS_CHACHA20_POLY1305_SHA256   TLSv1.3  Kx=any   Au=any    Enc=CHACHA20/POLY1305(256)  Mac=AEAD  FS, AEAD',
    '0x1301  TLS_AES_128_GCM_SHA256         TLSv1.3  Kx=any   Au=any    Enc=AESGCM(128)             Mac=AEAD  FS, AEAD',
    '0xC02C  ECDHE-ECDSA-AES256-GCM-SHA384  TLSv1.2  Kx=ECDH  Au=ECDSA  Enc=AESGCM(256)             Mac=AEAD  FS, AEAD',
    '0xC030  ECDHE-RSA-AES256-GCM-SHA384    TLSv1.2  Kx=ECDH  Au=RSA    Enc=AESGCM(256)             Mac=AEAD  FS, AEAD',
    '0xC02B  ECDHE-ECDSA-AES128-GCM-SHA256  TLSv1.2  Kx=ECDH  Au=ECDSA  Enc=AESGCM(128)             Mac=AEAD  FS, AEAD',
    '0xC02F  ECDHE-RSA-AES128-GCM-SHA256    TLSv1.2  Kx=ECDH  Au=RSA    Enc=AESGCM(128)             Mac=AEAD  FS, AEAD',
  ]);
});

test('--stdname shows IANA names; unusable suites say so', async (t) => {
  const result = await runTlskit(['ciphers', 'ADH-AES128-GCM-SHA256', '--stdname']);
  t.is(result.code, 0, result.stderr);
  t.regex(
    result.stdout,
    /TLS_DH_anon_WITH_AES_128_GCM_SHA256 .*no authentication \(anonymous\), not usable by Node with this string/,
  );
});

test('--json for a SPEC', async (t) => {
  const json = parseJson(t, await runTlskit(['ciphers', 'HIGH:!SHA1', '--json']));
  t.like(json, { source: 'spec', spec: 'HIGH:!SHA1', preset: null });
  t.like(json.suites[3], {
    id: '0xC02C',
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384',
    protocol: 'TLSv1.2',
    usable: true,
  });
});

test("--default expands Node's default list", async (t) => {
  const json = parseJson(t, await runTlskit(['ciphers', '--default', '--json']));
  t.is(json.source, 'default');
  t.regex(json.spec ?? '', /^TLS_AES_256_GCM_SHA384:/);
  t.is(json.suites[3]?.openssl, 'ECDHE-RSA-AES128-GCM-SHA256');
});

test('--preset intermediate: a ready string, its minVersion and curves, then its suites', async (t) => {
  const result = await runTlskit(['ciphers', '--preset', 'intermediate']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^Mozilla intermediate — server-side TLS guidelines 6\.0\n/);
  t.regex(result.stdout, /\n {2}minVersion: +TLSv1\.2\n/);
  t.regex(
    result.stdout,
    /\ntls\.createServer\(\{ key, cert, minVersion: 'TLSv1\.2', ciphers: 'TLS_AES_128_GCM_SHA256:.*ECDHE-RSA-CHACHA20-POLY1305', ecdhCurve: '[^']*X25519[^']*', honorCipherOrder: false \}\)\n/,
  );
  const json = parseJson(t, await runTlskit(['ciphers', '--preset', 'intermediate', '--json']));
  t.like(json, {
    source: 'preset',
    preset: { name: 'intermediate', minVersion: 'TLSv1.2', missingSuites: [] },
  });
  t.is(json.suites.length, 9);
});

test('--preset modern is TLS 1.3 only', async (t) => {
  const json = parseJson(t, await runTlskit(['ciphers', '--preset', 'modern', '--json']));
  t.like(json.preset, { minVersion: 'TLSv1.3' });
  t.true(json.suites.every((suite) => suite.protocol === 'TLSv1.3'));
});

test('--preset old is refused (exit 4) without --allow-weak, and labelled with it', async (t) => {
  const refused = await runTlskit(['ciphers', '--preset', 'old']);
  t.is(refused.code, 4);
  t.is(refused.stdout, '');
  t.regex(
    refused.stderr,
    /^tlskit: Mozilla withdrew the "old" profile in guidelines 6\.0 .*--allow-weak.*\n$/,
  );
  const json = parseJson(
    t,
    await runTlskit(['ciphers', '--preset', 'old', '--allow-weak', '--json']),
  );
  t.like(json.preset, { withdrawn: true, minVersion: 'TLSv1', missingSuites: ['DES-CBC3-SHA'] });
});

test('a string that matches nothing is bad input (exit 3) in one line', async (t) => {
  const result = await runTlskit(['ciphers', 'NOT-A-CIPHER']);
  t.is(result.code, 3);
  t.is(result.stdout, '');
  t.regex(result.stderr, /^tlskit: no cipher suite matches "NOT-A-CIPHER" \(.*\)\n$/);
});

test('a SPEC with --preset or --default is a usage error (exit 2)', async (t) => {
  for (const flag of [['--preset', 'modern'], ['--default']]) {
    const result = await runTlskit(['ciphers', 'HIGH', ...flag]);
    t.is(result.code, 2);
    t.regex(result.stderr, /^tlskit: give a cipher string, --default or --preset, not several/);
  }
});
