import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeKey,
  keysMatch,
  loadPrivateKey,
  loadPublicKey,
  type KeyDescription,
} from '../../src/pki/keys.js';
import {
  makeTempDir,
  openssl,
  repoRoot,
  runTlskit,
  type RunOptions,
  type RunResult,
} from '../helpers/index.js';

/*
 * `tlskit keygen` as a user runs it: argv in, exit code, stderr line, files and their modes out.
 * Standard input and output are pipes here, never a terminal.
 */

const JSON_KEYS = [
  'bits',
  'curve',
  'encoding',
  'encrypted',
  'files',
  'format',
  'publicKeySha256',
  'type',
];

interface KeygenJson {
  type: string;
  bits: number;
  curve: string | null;
  format: string;
  encoding: string;
  encrypted: boolean;
  publicKeySha256: string;
  files: string[];
}

/** Runs `tlskit keygen ARGS` in a fresh folder. */
async function keygen(t: ExecutionContext, args: string[], options: RunOptions = {}) {
  const dir = await makeTempDir(t);
  const result = await runTlskit(['keygen', ...args], { cwd: dir, ...options });
  return { dir, ...result };
}

function parseJson(t: ExecutionContext, result: RunResult): KeygenJson {
  t.is(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout) as KeygenJson;
  t.deepEqual(Object.keys(json).sort(), JSON_KEYS);
  return json;
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function loadKeyFile(path: string, passphrase?: string) {
  return loadPrivateKey(await readFile(path), {
    source: path,
    passphrase: passphrase === undefined ? undefined : async () => passphrase,
  });
}

// ---- key types, sizes and encodings -----------------------------------------------------

test('default: an RSA 2048 PKCS#8 key (0600) and its public key (0644), said in two lines', async (t) => {
  const { dir, code, stdout, stderr } = await keygen(t, ['--out', 'k.pem', '--pubout', 'k.pub']);
  t.is(code, 0, stderr);
  t.is(stderr, '');
  t.deepEqual(stdout.trimEnd().split('\n'), [
    'Created a new RSA 2048-bit private key 🔑',
    '  → k.pem',
    '  → k.pub',
  ]);
  t.is(await modeOf(join(dir, 'k.pem')), 0o600);
  t.is(await modeOf(join(dir, 'k.pub')), 0o644);
  t.regex(await readFile(join(dir, 'k.pem'), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  t.regex(await openssl(['pkey', '-in', join(dir, 'k.pem'), '-check', '-noout']), /Key is valid/);
  const privateKey = await loadKeyFile(join(dir, 'k.pem'));
  t.deepEqual(describeKey(privateKey), { type: 'rsa', bits: 2048 });
  t.true(keysMatch(privateKey, loadPublicKey(await readFile(join(dir, 'k.pub')), 'k.pub')));
});

const typeCases: Array<[string[], KeyDescription]> = [
  [['--type', 'rsa', '--bits', '2048'], { type: 'rsa', bits: 2048 }],
  [['--type', 'ec'], { type: 'ec', bits: 256, curve: 'P-256' }],
  [['--type', 'ec', '--curve', 'P-384'], { type: 'ec', bits: 384, curve: 'P-384' }],
  [['--type', 'ec', '--curve', 'P-521'], { type: 'ec', bits: 521, curve: 'P-521' }],
  [['--type', 'ed25519'], { type: 'ed25519', bits: 256 }],
  [['--type', 'ed448'], { type: 'ed448', bits: 456 }],
];

for (const [args, expected] of typeCases) {
  test(`keygen ${args.join(' ')} --json`, async (t) => {
    const result = await keygen(t, [...args, '--out', 'k.pem', '--json']);
    const json = parseJson(t, result);
    t.deepEqual(json, {
      type: expected.type,
      bits: expected.bits,
      curve: expected.curve ?? null,
      format: 'pem',
      encoding: 'pkcs8',
      encrypted: false,
      publicKeySha256: json.publicKeySha256,
      files: ['k.pem'],
    });
    t.regex(json.publicKeySha256, /^[0-9a-f]{64}$/);
    t.deepEqual(describeKey(await loadKeyFile(join(result.dir, 'k.pem'))), expected);
  });
}

test('--format der writes DER key and public key that openssl reads', async (t) => {
  const result = await keygen(t, [
    '--type',
    'ec',
    '--format',
    'der',
    '--out',
    'k.der',
    '--pubout',
    'k.pub.der',
    '--json',
  ]);
  const json = parseJson(t, result);
  t.is(json.format, 'der');
  t.deepEqual(json.files, ['k.der', 'k.pub.der']);
  const keyPath = join(result.dir, 'k.der');
  t.is((await readFile(keyPath))[0], 0x30);
  t.regex(await openssl(['pkey', '-in', keyPath, '-inform', 'DER', '-check', '-noout']), /valid/);
  await openssl(['pkey', '-pubin', '-in', join(result.dir, 'k.pub.der'), '-inform', 'DER']);
});

const traditionalCases: Array<[string[], string, RegExp]> = [
  [['--type', 'rsa'], 'pkcs1', /^-----BEGIN RSA PRIVATE KEY-----\n/],
  [['--type', 'ec', '--curve', 'P-384'], 'sec1', /^-----BEGIN EC PRIVATE KEY-----\n/],
];

for (const [args, encoding, header] of traditionalCases) {
  test(`--traditional ${args.join(' ')} writes ${encoding}`, async (t) => {
    const result = await keygen(t, [...args, '--traditional', '--out', 'k.pem', '--json']);
    t.is(parseJson(t, result).encoding, encoding);
    const path = join(result.dir, 'k.pem');
    t.regex(await readFile(path, 'utf8'), header);
    t.regex(await openssl(['pkey', '-in', path, '-check', '-noout']), /Key is valid/);
  });
}

test('--traditional for Ed25519 is a usage error (exit 2), before anything is written', async (t) => {
  const result = await keygen(t, ['--type', 'ed25519', '--traditional', '--out', 'k.pem']);
  t.is(result.code, 2);
  t.is(
    result.stderr,
    'tlskit: ed25519 keys have no traditional format (drop --traditional: PKCS#8 is the only format for this key type)\n',
  );
  t.deepEqual(await readdir(result.dir), []);
});

test('--bits for an EC key is a usage error (exit 2) rather than silently ignored', async (t) => {
  const result = await keygen(t, ['--type', 'ec', '--bits', '4096', '--out', 'k.pem']);
  t.is(result.code, 2);
  t.regex(
    result.stderr,
    /^tlskit: --bits applies to RSA keys, not ec \(choose the size with --curve\)\n$/,
  );
  t.deepEqual(await readdir(result.dir), []);
});

test('--bits 1024 is refused (exit 4) without --allow-weak', async (t) => {
  const result = await keygen(t, ['--bits', '1024', '--out', 'k.pem']);
  t.is(result.code, 4);
  t.regex(result.stderr, /^tlskit: RSA keys below 2048 bits are weak \(.*--allow-weak.*\)\n$/);
  t.deepEqual(await readdir(result.dir), []);
});

test('--bits 1024 --allow-weak makes the weak key', async (t) => {
  const result = await keygen(t, ['--bits', '1024', '--allow-weak', '--out', 'k.pem', '--json']);
  t.is(parseJson(t, result).bits, 1024);
  t.deepEqual(describeKey(await loadKeyFile(join(result.dir, 'k.pem'))), {
    type: 'rsa',
    bits: 1024,
  });
});

// ---- encryption -------------------------------------------------------------------------

const PASSPHRASE = 'keygen e2e passphrase';

test('--passout pass: encrypts the key as PKCS#8 PBES2 that openssl opens', async (t) => {
  const result = await keygen(t, [
    '--type',
    'ec',
    '--out',
    'k.pem',
    '--passout',
    `pass:${PASSPHRASE}`,
    '--json',
  ]);
  t.true(parseJson(t, result).encrypted);
  const path = join(result.dir, 'k.pem');
  t.regex(await readFile(path, 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  t.regex(
    await openssl(['pkey', '-in', path, '-passin', `pass:${PASSPHRASE}`, '-check', '-noout']),
    /Key is valid/,
  );
  t.regex(
    await openssl(['asn1parse', '-in', path]),
    /PBES2[\s\S]*hmacWithSHA256[\s\S]*aes-256-cbc/,
  );
});

test('--passout env:, file: and stdin give the same passphrase', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'pass.txt'), `${PASSPHRASE}\nsecond line is ignored\n`);
  const sources: Array<[string, RunOptions]> = [
    ['env:KEYGEN_PASS', { env: { KEYGEN_PASS: PASSPHRASE } }],
    ['file:pass.txt', {}],
    ['stdin', { input: `${PASSPHRASE}\n` }],
  ];
  for (const [spec, options] of sources) {
    const out = `${spec.split(':')[0]}.pem`;
    const result = await runTlskit(
      ['keygen', '--type', 'ed25519', '--out', out, '--passout', spec],
      { cwd: dir, ...options },
    );
    t.is(result.code, 0, `${spec}: ${result.stderr}`);
    await t.notThrowsAsync(loadKeyFile(join(dir, out), PASSPHRASE), spec);
  }
});

test('--passout fd:3 reads the passphrase from that descriptor (like 3<pass.txt)', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'pass.txt'), `${PASSPHRASE}\n`);
  const handle = await open(join(dir, 'pass.txt'), 'r');
  t.teardown(() => handle.close());
  const result = await runWithFd3(
    ['keygen', '--type', 'ec', '--out', 'k.pem', '--passout', 'fd:3'],
    dir,
    handle.fd,
  );
  t.is(result.code, 0, result.stderr);
  await t.notThrowsAsync(loadKeyFile(join(dir, 'k.pem'), PASSPHRASE));
});

test('--encrypt with --passout encrypts without asking', async (t) => {
  const result = await keygen(
    t,
    ['--type', 'ec', '--encrypt', '--passout', 'env:KEYGEN_PASS', '--out', 'k.pem', '--json'],
    { env: { KEYGEN_PASS: PASSPHRASE } },
  );
  t.true(parseJson(t, result).encrypted);
  await t.notThrowsAsync(loadKeyFile(join(result.dir, 'k.pem'), PASSPHRASE));
});

test('--encrypt without a terminal and without --passout is a usage error naming --passout', async (t) => {
  const result = await keygen(t, ['--encrypt', '--out', 'k.pem']);
  t.is(result.code, 2);
  t.is(result.stderr.split('\n').length, 2, 'one line');
  t.regex(result.stderr, /^tlskit: .*not a terminal.*--passout/);
  t.deepEqual(await readdir(result.dir), []);
});

const passoutErrors: Array<[string, string[], number, RegExp]> = [
  [
    'a spec without a source (never echoed)',
    ['--passout', 'hunter2'],
    2,
    /^tlskit: --passout: the value is not a passphrase source \(use pass:TEXT, env:VAR, file:PATH, fd:N or stdin\)\n$/,
  ],
  ['an unset variable', ['--passout', 'env:KEYGEN_UNSET'], 2, /KEYGEN_UNSET is not set/],
  ['a short passphrase', ['--passout', 'pass:abc'], 3, /too short \(at least 4 characters\)/],
  [
    'a traditional key',
    ['--traditional', '--passout', 'pass:hunter2'],
    2,
    /traditional \(PKCS#1\/SEC1\) keys cannot be encrypted safely/,
  ],
];

for (const [name, args, exitCode, message] of passoutErrors) {
  test(`--passout with ${name} fails with exit ${exitCode}`, async (t) => {
    const result = await keygen(t, ['--type', 'ec', '--out', 'k.pem', ...args], {
      env: { KEYGEN_UNSET: undefined },
    });
    t.is(result.code, exitCode);
    t.regex(result.stderr, message);
    t.false(result.stderr.includes('hunter2'));
    t.deepEqual(await readdir(result.dir), []);
  });
}

// ---- existing files and --force ---------------------------------------------------------

test('an existing --out survives byte for byte without --force (exit 4, one stderr line)', async (t) => {
  const dir = await makeTempDir(t);
  const original = Buffer.from('precious old key\n');
  await writeFile(join(dir, 'k.pem'), original, { mode: 0o640 });
  const result = await runTlskit(
    ['keygen', '--type', 'ec', '--out', 'k.pem', '--pubout', 'k.pub'],
    {
      cwd: dir,
    },
  );
  t.is(result.code, 4);
  t.is(result.stdout, '');
  t.is(result.stderr, 'tlskit: k.pem already exists (use --force to overwrite)\n');
  t.deepEqual(await readFile(join(dir, 'k.pem')), original);
  t.is(await modeOf(join(dir, 'k.pem')), 0o640);
  t.deepEqual(await readdir(dir), ['k.pem'], 'no public key and no temp file either');
});

test('an existing --pubout stops the key being written too', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'k.pub'), 'old public key\n');
  const result = await runTlskit(
    ['keygen', '--type', 'ec', '--out', 'k.pem', '--pubout', 'k.pub'],
    {
      cwd: dir,
    },
  );
  t.is(result.code, 4);
  t.is(result.stderr, 'tlskit: k.pub already exists (use --force to overwrite)\n');
  t.deepEqual(await readdir(dir), ['k.pub']);
  t.is(await readFile(join(dir, 'k.pub'), 'utf8'), 'old public key\n');
});

test('under --json, a refusal is a JSON error object (exit 4)', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'k.pem'), 'old');
  const result = await runTlskit(['keygen', '--type', 'ec', '--out', 'k.pem', '--json'], {
    cwd: dir,
  });
  t.is(result.code, 4);
  t.deepEqual(JSON.parse(result.stdout), {
    error: {
      code: 'FILE_EXISTS',
      message: 'k.pem already exists',
      hint: 'use --force to overwrite',
    },
  });
});

test('--force replaces existing files, with the key at 0600 whatever the old mode', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'k.pem'), 'old key', { mode: 0o644 });
  await writeFile(join(dir, 'k.pub'), 'old pub', { mode: 0o600 });
  const result = await runTlskit(
    ['keygen', '--type', 'ec', '--out', 'k.pem', '--pubout', 'k.pub', '--force'],
    { cwd: dir },
  );
  t.is(result.code, 0, result.stderr);
  t.is(await modeOf(join(dir, 'k.pem')), 0o600);
  t.is(await modeOf(join(dir, 'k.pub')), 0o644);
  const key = await loadKeyFile(join(dir, 'k.pem'));
  t.true(keysMatch(key, loadPublicKey(await readFile(join(dir, 'k.pub')), 'k.pub')));
  t.deepEqual((await readdir(dir)).sort(), ['k.pem', 'k.pub']);
});

// ---- standard output --------------------------------------------------------------------

test('--out - with stdout piped writes the key, and only the key, to stdout', async (t) => {
  const result = await keygen(t, ['--type', 'ec', '--out', '-']);
  t.is(result.code, 0, result.stderr);
  t.is(result.stderr, '');
  t.regex(result.stdout, /^-----BEGIN PRIVATE KEY-----\n[\s\S]*-----END PRIVATE KEY-----\n$/);
  const key = await loadPrivateKey(Buffer.from(result.stdout), { source: 'stdout' });
  t.deepEqual(describeKey(key), { type: 'ec', bits: 256, curve: 'P-256' });
  t.deepEqual(await readdir(result.dir), []);
});

test('--out - with --pubout says what it did on stderr, keeping stdout for the key', async (t) => {
  const result = await keygen(t, ['--type', 'ed25519', '--out', '-', '--pubout', 'k.pub']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^-----BEGIN PRIVATE KEY-----\n[\s\S]*-----END PRIVATE KEY-----\n$/);
  t.deepEqual(result.stderr.trimEnd().split('\n'), [
    'Created a new ED25519 256-bit private key 🔑',
    '  → k.pub',
  ]);
  const key = await loadPrivateKey(Buffer.from(result.stdout), { source: 'stdout' });
  t.true(keysMatch(key, loadPublicKey(await readFile(join(result.dir, 'k.pub')), 'k.pub')));
});

/** runTlskit with `fd3` (an open file) as the child's file descriptor 3. */
function runWithFd3(args: string[], cwd: string, fd3: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/run.js'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe', fd3],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin?.end();
  });
}
