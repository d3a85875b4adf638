/**
 * Ground truth: openssl s_server with known configurations on 127.0.0.1, and tlskit's probe must
 * report exactly what was configured — the protocols, the suites, their order when the server
 * enforces one, the groups, the DH size, the certificate and its stapled OCSP response.
 */
import test from 'ava';
import { probe, type ProbeOptions } from '../../src/probe/probe.js';
import type { TargetReport } from '../../src/probe/report.js';
import { cipherSuiteByName } from '../../src/probe/registry/cipher-suites.js';
import {
  makeCredentials,
  removeCredentials,
  startSServer,
  type Credentials,
} from './probe-support/s-server.js';
import { startCountingProxy } from './probe-support/tcp-proxy.js';

let credentials: Credentials;
test.before(async () => {
  credentials = await makeCredentials();
});
test.after.always(async () => {
  if (credentials) await removeCredentials(credentials);
});

/** Eight TLS 1.2 suites, in a deliberate non-default order, with DHE and CBC among them. */
const TLS12_SUITES = [
  'ECDHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-SHA',
  'AES128-GCM-SHA256',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES256-SHA256',
  'AES256-SHA',
  'ECDHE-RSA-AES128-GCM-SHA256',
];
const TLS13_SUITES = ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_256_GCM_SHA384'];

const ianaNames = (names: readonly string[]) => names.map((name) => cipherSuiteByName(name)!.name);

async function scan(port: number, options: Partial<ProbeOptions> = {}): Promise<TargetReport> {
  const report = await probe({
    targets: [`127.0.0.1:${port}`],
    serverName: 'localhost',
    timeoutMs: 5000,
    ...options,
  });
  return report.targets[0]!;
}

const supported = (target: TargetReport) =>
  target.protocols.filter((protocol) => protocol.supported).map((protocol) => protocol.protocol);
const suitesOf = (target: TargetReport, protocol: string) =>
  target.cipherSuites!.find((section) => section.protocol === protocol)!;

test('TLS 1.2 only, eight suites, server order: exactly those suites, in that order', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-no_tls1_3',
    '-serverpref',
    '-cipher',
    TLS12_SUITES.join(':'),
  ]);
  const target = await scan(server.port, { scanners: ['ciphers'] });
  t.deepEqual(supported(target), ['TLS1.2']);
  t.true(
    target.protocols.every((protocol) => protocol.supported !== null),
    'every protocol decided',
  );
  const section = suitesOf(target, 'TLS1.2');
  t.deepEqual(
    section.suites.map((suite) => suite.name),
    ianaNames(TLS12_SUITES),
  );
  t.true(section.serverPreference);
  t.true(section.complete);
  t.deepEqual(target.findings, []);
  // One hello per suite and one refused, plus one for each refused protocol: the server's order
  // shows in the picks themselves.
  t.is(target.clientHellos, TLS12_SUITES.length + 1 + 5);
});

test('TLS 1.2 only, same suites, client order: the same set, and no server order claimed', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-no_tls1_3',
    '-cipher',
    TLS12_SUITES.join(':'),
  ]);
  const target = await scan(server.port, { scanners: ['ciphers'] });
  const section = suitesOf(target, 'TLS1.2');
  t.deepEqual(
    [...section.suites.map((suite) => suite.name)].sort(),
    ianaNames(TLS12_SUITES).sort(),
  );
  t.false(section.serverPreference);
  // Following the client's order fits any server order too: one more hello tells them apart.
  t.is(target.clientHellos, TLS12_SUITES.length + 2 + 5);
});

test('TLS 1.3 only, two of its suites, server order', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-tls1_3',
    '-serverpref',
    '-ciphersuites',
    TLS13_SUITES.join(':'),
  ]);
  const target = await scan(server.port, { scanners: ['ciphers'] });
  t.deepEqual(supported(target), ['TLS1.3']);
  const section = suitesOf(target, 'TLS1.3');
  t.deepEqual(
    section.suites.map((suite) => suite.name),
    TLS13_SUITES,
  );
  t.true(section.serverPreference);
});

test('TLS 1.3 only, client order: the set, preference false', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-tls1_3',
    '-ciphersuites',
    [...TLS13_SUITES, 'TLS_AES_128_GCM_SHA256'].join(':'),
  ]);
  const target = await scan(server.port, { scanners: ['ciphers'] });
  const section = suitesOf(target, 'TLS1.3');
  t.deepEqual(
    section.suites.map((suite) => suite.name).sort(),
    [...TLS13_SUITES, 'TLS_AES_128_GCM_SHA256'].sort(),
  );
  t.false(section.serverPreference);
});

test('legacy TLS 1.0 and 1.1 at SECLEVEL=0: both protocols, their suites in order, graded down', async (t) => {
  const legacy = ['ECDHE-RSA-AES128-SHA', 'AES256-SHA', 'DHE-RSA-AES128-SHA'];
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-min_protocol',
    'TLSv1',
    '-max_protocol',
    'TLSv1.1',
    '-serverpref',
    '-cipher',
    `${legacy.join(':')}:@SECLEVEL=0`,
  ]);
  const target = await scan(server.port, { scanners: ['ciphers'] });
  t.deepEqual(supported(target), ['TLS1.0', 'TLS1.1']);
  for (const protocol of ['TLS1.0', 'TLS1.1']) {
    t.deepEqual(
      suitesOf(target, protocol).suites.map((suite) => suite.name),
      ianaNames(legacy),
      protocol,
    );
    t.true(suitesOf(target, protocol).serverPreference, protocol);
  }
  t.is(target.rating.grade, 'B');
  t.true(target.rating.reasons.some((reason) => reason.reason === 'TLS 1.0 or 1.1 is enabled'));
});

test('an ECDSA certificate: only the ECDSA suites, and the chain says EC P-256, OCSP stapled and trusted by --ca', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.ecCert,
    '-key',
    credentials.ecKey,
    '-no_tls1_3',
    '-serverpref',
    '-cipher',
    'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256',
    '-status_file',
    credentials.ocspResponse,
  ]);
  const target = await scan(server.port, {
    scanners: ['ciphers', 'certificates'],
    caFile: credentials.caCert,
  });
  t.deepEqual(
    suitesOf(target, 'TLS1.2').suites.map((suite) => suite.name),
    ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  );
  const chains = target.certificates!;
  t.is(chains.length, 1);
  const chain = chains[0]!;
  t.is(chain.authentication, 'ECDSA');
  t.is(chain.via, 'certificate-message');
  t.like(chain.chain[0], {
    subject: 'CN=localhost',
    issuer: 'CN=tlskit probe test CA',
    keyType: 'ec',
    curve: 'P-256',
  });
  t.true(chain.chain[0]!.daysLeft >= 18 && chain.chain[0]!.daysLeft <= 20);
  t.true(chain.hostnameMatch);
  t.deepEqual(chain.trust, { trusted: true, anchor: 'CN=tlskit probe test CA', reason: null });
  t.like(chain.ocsp, { stapled: true, responseStatus: 'successful', certStatus: 'good' });
});

test('without --ca, a self-signed certificate is reported untrusted; a wrong name does not match', async (t) => {
  const server = await startSServer(t, ['-cert', credentials.rsaCert, '-key', credentials.rsaKey]);
  const target = await scan(server.port, {
    scanners: ['certificates'],
    serverName: 'other.example',
  });
  const chain = target.certificates![0]!;
  t.false(chain.trust.trusted);
  t.regex(chain.trust.reason ?? '', /self-signed/);
  t.false(chain.hostnameMatch);
  t.like(chain.chain[0], { keyType: 'rsa', keyBits: 2048, selfSigned: true });
});

test('-groups restricted: exactly those groups for TLS 1.3 and ECDHE, in server order, and a HelloRetryRequest', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-serverpref',
    '-groups',
    'P-384:P-521',
  ]);
  const target = await scan(server.port, { scanners: ['groups'] });
  const exchange = target.keyExchange!;
  t.deepEqual(
    exchange.tls13!.groups.map((group) => group.name),
    ['secp384r1', 'secp521r1'],
  );
  t.true(exchange.tls13!.serverPreference);
  t.deepEqual(exchange.tls13!.keyShareResponse, {
    offered: ['x25519', 'secp256r1'],
    answer: 'hello-retry-request',
    group: 'secp384r1',
  });
  t.deepEqual(
    exchange.ecdhe!.groups.map((group) => group.name),
    ['secp384r1', 'secp521r1'],
  );
  t.is(exchange.ecdhe!.protocol, 'TLS1.2');
});

test('DHE with RFC 7919 parameters: the prime size and the named group', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-no_tls1_3',
    '-cipher',
    'DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256',
    '-dhparam',
    credentials.ffdhe2048,
  ]);
  const target = await scan(server.port, { scanners: ['groups'] });
  t.like(target.keyExchange!.dhe, {
    protocol: 'TLS1.2',
    primeBits: 2048,
    group: 'ffdhe2048 (RFC 7919)',
    error: null,
  });
});

test('a default server: fallback SCSV and downgrade protection, secure renegotiation, tickets, no compression', async (t) => {
  const server = await startSServer(t, ['-cert', credentials.rsaCert, '-key', credentials.rsaKey]);
  const target = await scan(server.port, { scanners: ['extras'] });
  t.deepEqual(supported(target), ['TLS1.2', 'TLS1.3']);
  t.like(target.extras, {
    basedOn: 'TLS1.2',
    secureRenegotiation: true,
    sessionTickets: true,
    compression: false,
    extendedMasterSecret: true,
    fallbackScsv: true,
    downgradeProtection: true,
  });
});

test('ALPN: the protocols s_server was given, found by enumeration', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-alpn',
    'http/1.1,h2',
  ]);
  const target = await scan(server.port, {
    scanners: ['extras'],
    alpn: ['h2', 'http/1.1', 'spdy/3'],
  });
  t.deepEqual([...target.extras!.alpn!.supported].sort(), ['h2', 'http/1.1']);
  t.true(target.extras!.alpn!.complete);
});

test('--expect passes and fails on a real server', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-no_tls1_3',
  ]);
  const target = await scan(server.port, {
    scanners: ['protocols'],
    expect: 'minVersion>=TLS1.2,maxVersion=TLS1.3,groups>=x25519,!compression',
  });
  t.deepEqual(
    target.expectations!.map((result) => [result.expectation, result.passed]),
    [
      ['minVersion>=TLS1.2', true],
      ['maxVersion=TLS1.3', false],
      ['groups>=x25519', true],
      ['!compression', true],
    ],
  );
  t.is(target.expectations![1]!.actual, 'TLS1.2');
  t.true(target.keyExchange !== null, '--expect turned the group scan on');
});

test('the ClientHellos the report counts are the ones the server saw, through a counting proxy', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.rsaCert,
    '-key',
    credentials.rsaKey,
    '-serverpref',
    '-cipher',
    TLS12_SUITES.join(':'),
    '-ciphersuites',
    TLS13_SUITES.join(':'),
  ]);
  const proxy = await startCountingProxy(server.port, 5);
  t.teardown(() => proxy.close());
  const target = await scan(proxy.port, { scanners: ['ciphers'] });
  t.is(target.clientHellos, proxy.clientHellos());
  // Per protocol one hello per suite plus the refusal; one for each protocol that is off.
  t.is(target.clientHellos, TLS12_SUITES.length + 1 + TLS13_SUITES.length + 1 + 4);
  t.deepEqual(
    suitesOf(target, 'TLS1.3').suites.map((suite) => suite.name),
    TLS13_SUITES,
  );
  t.deepEqual(
    suitesOf(target, 'TLS1.2').suites.map((suite) => suite.name),
    ianaNames(TLS12_SUITES),
  );
});

test('a TLS 1.3-only server: the chain comes through a node:tls handshake, still judged by --ca', async (t) => {
  const server = await startSServer(t, [
    '-cert',
    credentials.ecCert,
    '-key',
    credentials.ecKey,
    '-cert_chain',
    credentials.caCert,
    '-tls1_3',
  ]);
  const target = await scan(server.port, {
    scanners: ['certificates'],
    caFile: credentials.caCert,
  });
  const chain = target.certificates![0]!;
  t.like(chain, { protocol: 'TLS1.3', via: 'node-tls', hostnameMatch: true, error: null });
  t.deepEqual(
    chain.chain.map((certificate) => certificate.subject),
    ['CN=localhost', 'CN=tlskit probe test CA'],
  );
  t.true(chain.trust.trusted);
});
