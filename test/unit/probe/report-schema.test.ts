/**
 * The JSON Schema shipped in templates/probe-report.schema.json describes real reports (checked by
 * ajv, strict): a full scan of a node:tls server, an unreachable target and expectations all
 * validate, and the schema rejects a report that drifted (a renamed field, a retyped value).
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { probe } from '../../../src/probe/probe.js';
import type { ProbeReport } from '../../../src/probe/report.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import { fixturesDir, repoRoot } from '../../helpers/index.js';

// ajv is CommonJS: its class is the default export's `default`.
const Ajv2020 = Ajv2020Module.default;
const schema = JSON.parse(
  await readFile(join(repoRoot, 'templates/probe-report.schema.json'), 'utf8'),
);
// Strict: the schema itself must be clean; formats are documentation here, not checked.
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(
  schema,
);

/** ajv's errors as `path message` lines; none for a valid document. */
function validateJson(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

async function scanNodeServer(): Promise<ProbeReport> {
  const server = tls.createServer({
    key: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.key.pem')),
    cert: await readFile(join(fixturesDir, 'inspect/openssl.p256-leaf.cert.pem')),
    ALPNProtocols: ['http/1.1'],
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Port 1 is outside the ephemeral range: nothing a parallel test starts can listen there.
  const closedPort = 1;
  try {
    return await probe({
      targets: [
        `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
        `127.0.0.1:${closedPort}`,
      ],
      serverName: 'www.example.test',
      timeoutMs: 5000,
      expect: 'minVersion>=TLS1.2,groups>=x25519,hostnameMatch,certDaysLeft>=0',
      now: new Date('2026-01-01T00:00:00Z'),
    });
  } finally {
    server.close();
  }
}

const report = await scanNodeServer();

test('a full report, with every section, validates against the schema', (t) => {
  const scanned = report.targets[0]!;
  t.is(scanned.status, 'scanned');
  for (const section of [
    'cipherSuites',
    'keyExchange',
    'certificates',
    'extras',
    'expectations',
  ] as const) {
    t.not(scanned[section], null, section);
  }
  t.is(report.targets[1]!.status, 'unreachable');
  t.deepEqual(validateJson(JSON.parse(JSON.stringify(report))), []);
});

test('the schema notices drift', (t) => {
  const drifted = JSON.parse(JSON.stringify(report));
  drifted.targets[0].cipherSuites[0].suites[0].ianaName =
    drifted.targets[0].cipherSuites[0].suites[0].name;
  delete drifted.targets[0].cipherSuites[0].suites[0].name;
  drifted.targets[0].protocols[0].version = '0303';
  t.deepEqual(validateJson(drifted).sort(), [
    '/targets/0/cipherSuites/0/suites/0 must NOT have additional properties',
    "/targets/0/cipherSuites/0/suites/0 must have required property 'name'",
    '/targets/0/protocols/0/version must match pattern "^0x[0-9a-f]+$"',
  ]);
});

test('the node:tls server is seen as it is: TLS 1.2 and 1.3, ALPN http/1.1, the fixture certificate', (t) => {
  const scanned = report.targets[0]!;
  t.deepEqual(
    scanned.protocols.filter((protocol) => protocol.supported).map((protocol) => protocol.protocol),
    ['TLS1.2', 'TLS1.3'],
  );
  t.deepEqual(scanned.extras!.alpn!.supported, ['http/1.1']);
  t.is(scanned.certificates![0]!.chain[0]!.subject, 'C=UK, O=tlskit fixtures, CN=www.example.test');
  t.true(scanned.certificates![0]!.hostnameMatch);
  t.true(
    scanned.expectations!.every((result) => result.passed),
    JSON.stringify(scanned.expectations),
  );
  t.is(report.expectationsMet, false, 'the unreachable target meets no expectation');
});
