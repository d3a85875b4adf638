/**
 * `tlskit probe` as a user runs it, against a node:tls server in this process: human output, the
 * JSON report, --expect as a CI gate (exit 1), an unreachable target (exit 5), usage and input
 * errors — each a single stderr line.
 */
import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { fixturesDir, makeTempDir, runTlskit } from '../helpers/index.js';

const server = tls.createServer({
  key: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.key.pem')),
  cert: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.cert.pem')),
  minVersion: 'TLSv1.2',
});
server.on('tlsClientError', () => {});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const target = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
test.after.always(() => server.close());

const stderrLines = (stderr: string) => stderr.trim().split('\n').filter(Boolean);

test('human output: protocols, suites and the grade, no colour codes with NO_COLOR', async (t) => {
  const result = await runTlskit([
    'probe',
    target,
    '--ciphers',
    '--servername',
    'www.example.test',
  ]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^127\.0\.0\.1:\d+ \(SNI www\.example\.test\)$/m);
  t.regex(result.stdout, /TLS1\.1: no \(alert protocol_version\)/);
  t.regex(result.stdout, /TLS1\.3: yes/);
  t.regex(result.stdout, /Cipher suites TLS1\.3 \(\d+/);
  t.regex(result.stdout, /0x1301 {2}TLS_AES_128_GCM_SHA256/);
  t.regex(result.stdout, /Grade: [AB]/);
  t.regex(result.stdout, /Scan: \d+ ClientHellos in \d+ ms/);
  t.false(result.stdout.includes('\u001b['), 'no escape codes');
});

test('--json: the versioned report, suites by IANA name and hex id', async (t) => {
  const result = await runTlskit(['probe', target, '--ciphers', '--json']);
  t.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  t.is(report.schemaVersion, 1);
  t.is(report.expectationsMet, null);
  const scanned = report.targets[0];
  t.is(scanned.target, target);
  t.is(scanned.serverName, null, 'no SNI for an IP address');
  t.true(scanned.clientHellos > 6);
  const tls13 = scanned.cipherSuites.find(
    (section: { protocol: string }) => section.protocol === 'TLS1.3',
  );
  t.like(
    tls13.suites.find((suite: { id: string }) => suite.id === '0x1301'),
    {
      name: 'TLS_AES_128_GCM_SHA256',
      strength: 'strong',
    },
  );
  t.is(scanned.keyExchange, null, 'groups were not asked for');
});

test('--expect: a failed assertion exits 1 with one stderr line, after the report', async (t) => {
  const result = await runTlskit([
    'probe',
    target,
    '--expect',
    'minVersion>=TLS1.2,maxVersion=TLS1.2',
  ]);
  t.is(result.code, 1);
  t.regex(result.stdout, /✘ maxVersion=TLS1\.2: found TLS1\.3/);
  t.deepEqual(stderrLines(result.stderr), [
    `tlskit: 1 expectation failed: ${target}: maxVersion=TLS1.2 (found TLS1.3)`,
  ]);
});

test('--expect with --json: the report on stdout, exit 1, the verdict on stderr', async (t) => {
  const result = await runTlskit([
    'probe',
    target,
    '--json',
    '--expect',
    'noWeakCiphers,certTrusted',
  ]);
  t.is(result.code, 1);
  const report = JSON.parse(result.stdout);
  t.false(report.expectationsMet);
  t.deepEqual(
    report.targets[0].expectations.map((result: { expectation: string; passed: boolean }) => [
      result.expectation,
      result.passed,
    ]),
    [
      ['noWeakCiphers', true],
      ['certTrusted', false],
    ],
  );
  t.is(stderrLines(result.stderr).length, 1);
});

test('an unreachable target exits 5 with one line naming it', async (t) => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const result = await runTlskit(['probe', `127.0.0.1:${port}`, '--timeout', '2000']);
  t.is(result.code, 5);
  t.deepEqual(stderrLines(result.stderr), [
    `tlskit: 1 of 1 target unreachable: 127.0.0.1:${port} (connection refused) (check the host, the port and that the server is up)`,
  ]);
});

test('--targets FILE scans each line', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'targets.txt');
  await writeFile(
    file,
    `# two names for one server\n${target}\n${target.replace('127.0.0.1', 'localhost')}\n`,
  );
  const result = await runTlskit(['probe', '--targets', file, '--protocols', '--json']);
  t.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  t.deepEqual(
    report.targets.map((scanned: { status: string }) => scanned.status),
    ['scanned', 'scanned'],
  );
  t.is(report.targets[0].cipherSuites, null, '--protocols alone scans only protocols');
});

for (const [args, code, line] of [
  [['probe'], 2, /^tlskit: no target to probe \(give HOST:PORT, or --targets FILE\)$/],
  [['probe', 'example.com:99999'], 2, /^tlskit: target "example.com:99999": "99999" is not a port/],
  [
    ['probe', target, '--expect', 'grade>=Z'],
    2,
    /^tlskit: --expect "grade>=Z": "Z" is not a grade/,
  ],
  [
    ['probe', '--targets', '/nonexistent/targets.txt'],
    3,
    /^tlskit: \/nonexistent\/targets\.txt: no such file$/,
  ],
  [
    ['probe', target, '--ca', '/nonexistent/ca.pem', '--certs'],
    3,
    /^tlskit: \/nonexistent\/ca\.pem: no such file$/,
  ],
] as const) {
  test(`tlskit ${args.slice(1).join(' ')} exits ${code} with one line`, async (t) => {
    const result = await runTlskit(args);
    t.is(result.code, code, result.stderr);
    const lines = stderrLines(result.stderr);
    t.is(lines.length, 1, result.stderr);
    t.regex(lines[0]!, line);
  });
}
