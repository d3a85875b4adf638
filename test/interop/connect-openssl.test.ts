/**
 * tlskit's client against the real `openssl s_server`: client certificates (-Verify), ALPN,
 * OCSP stapling (-status_file), SNI (-servername/-cert2), TLS 1.2 and 1.3, resumption by ticket
 * and by session ID, renegotiation, session files both ways with s_client, and the key log.
 * Every test asserts what was negotiated.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckFailedError, PeerError } from '../../src/errors.js';
import { connect } from '../../src/tls/client/connect.js';
import type { ConnectOptions } from '../../src/tls/client/options.js';
import { openssl, runOpenssl } from '../helpers/index.js';
import { startSServer } from '../unit/tls/client/s-server.js';
import { makeTestPki, removeTestPki, type TestPki } from '../unit/tls/client/test-pki.js';

let pki: TestPki | undefined;
test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

const TIMEOUT_MS = 5_000;

function serverIdentity(): string[] {
  return ['-cert', pki!.serverCert, '-key', pki!.serverKey];
}

/** Options for a client that trusts the test CA and verifies "localhost". */
function client(port: number, extra: ConnectOptions = {}): ConnectOptions {
  return {
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    caFile: pki!.caCert,
    timeoutMs: TIMEOUT_MS,
    ...extra,
  };
}

test('verifies s_server against the CA: TLS 1.3, ECDHE, the whole chain to the root', async (t) => {
  const server = await startSServer(t, serverIdentity());
  const summary = await connect(client(server.port));
  t.true(summary.authorized);
  t.is(summary.authorizationError, null);
  t.is(summary.protocol, 'TLSv1.3');
  t.is(summary.cipher.standardName, 'TLS_AES_256_GCM_SHA384');
  t.is(summary.ephemeralKey?.name, 'X25519');
  t.is(summary.servername, 'localhost');
  t.deepEqual(
    summary.peerCertificates.map((certificate) => certificate.subject),
    ['CN=localhost', 'CN=tlskit test root'],
  );
  t.true(summary.peerCertificates[1]?.selfIssued);
  const serial = (await openssl(['x509', '-in', pki!.serverCert, '-noout', '-serial'])).trim();
  t.is(`serial=${summary.peerCertificates[0]?.serialNumber}`, serial);
});

test('--max-version 1.2 negotiates TLS 1.2 with an ECDHE-ECDSA AEAD suite', async (t) => {
  const server = await startSServer(t, serverIdentity());
  const summary = await connect(client(server.port, { maxVersion: 'TLSv1.2' }));
  t.is(summary.protocol, 'TLSv1.2');
  t.is(summary.cipher.standardName, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
  t.is(summary.ephemeralKey?.type, 'ECDH');
});

test('--ciphers and --ecdh-curve choose the suite and group', async (t) => {
  const server = await startSServer(t, serverIdentity());
  const summary = await connect(
    client(server.port, {
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305',
      // TLS 1.2 (RFC 8422 §5.1.1): the groups offered also limit the server's ECDSA curve.
      ecdhCurve: 'P-384:P-256',
    }),
  );
  t.is(summary.cipher.standardName, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256');
  t.deepEqual(summary.ephemeralKey, { type: 'ECDH', name: 'secp384r1', bits: 384 });
});

test('--min-version 1.3 against a TLS 1.2-only server fails with a clear PeerError', async (t) => {
  const server = await startSServer(t, [...serverIdentity(), '-tls1_2']);
  const error = await t.throwsAsync(connect(client(server.port, { minVersion: 'TLSv1.3' })), {
    instanceOf: PeerError,
  });
  t.regex(
    error?.message ?? '',
    /^127\.0\.0\.1:\d+: the server supports none of the offered TLS versions/,
  );
});

for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
  test(`-Verify (${maxVersion}): the client certificate is sent and accepted`, async (t) => {
    const server = await startSServer(t, [
      ...serverIdentity(),
      '-Verify',
      '1',
      '-CAfile',
      pki!.caCert,
    ]);
    const summary = await connect(
      client(server.port, { maxVersion, certFile: pki!.clientCert, keyFile: pki!.clientKey }),
    );
    t.true(summary.authorized);
    t.is(summary.protocol, maxVersion);
    t.is(summary.clientCertificate?.subject, 'CN=tlskit test client');
    t.regex(server.output(), /verify return:1/);
  });

  test(`-Verify (${maxVersion}): without a client certificate the connection fails with one clear line`, async (t) => {
    const server = await startSServer(t, [
      ...serverIdentity(),
      '-Verify',
      '1',
      '-CAfile',
      pki!.caCert,
    ]);
    const error = await t.throwsAsync(connect(client(server.port, { maxVersion })), {
      instanceOf: PeerError,
    });
    // TLS 1.3 says so (certificate_required, after our Finished); TLS 1.2 only handshake_failure.
    t.regex(
      error?.message ?? '',
      maxVersion === 'TLSv1.3'
        ? /: the server requires a client certificate \(alert certificate_required\)$/
        : /: the server refused the handshake \(alert handshake_failure\)$/,
    );
    t.regex(error?.hint ?? '', /--cert/);
    t.false((error?.message ?? '').includes('\n'));
  });
}

test('-alpn: the server picks from what the client offers; no overlap is a clear failure', async (t) => {
  const server = await startSServer(t, [...serverIdentity(), '-alpn', 'h2,http/1.1']);
  const both = await connect(client(server.port, { alpn: ['http/1.1', 'h2'] }));
  t.is(both.alpnProtocol, 'h2');
  const one = await connect(client(server.port, { alpn: ['http/1.1'] }));
  t.is(one.alpnProtocol, 'http/1.1');
  const none = await t.throwsAsync(connect(client(server.port, { alpn: ['spdy/3'] })), {
    instanceOf: PeerError,
  });
  t.regex(
    none?.message ?? '',
    /supports none of the offered ALPN protocols \(alert no_application_protocol\)$/,
  );
  t.is((await connect(client(server.port))).alpnProtocol, null);
});

test('-status_file: --status shows the stapled OCSP response for the server certificate', async (t) => {
  const server = await startSServer(t, [...serverIdentity(), '-status_file', pki!.ocspResponse]);
  const summary = await connect(client(server.port, { requestOcsp: true }));
  const ocsp = summary.ocsp;
  t.true(ocsp?.stapled);
  t.is(ocsp?.responseStatus, 'successful');
  t.is(ocsp?.malformed, null);
  t.is(ocsp?.responses.length, 1);
  t.is(ocsp?.responses[0]?.certStatus, 'good');
  t.is(ocsp?.responses[0]?.serialNumber, summary.peerCertificates[0]?.serialNumber);
  t.regex(ocsp?.producedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  t.is(ocsp?.bytes, (await readFile(pki!.ocspResponse)).length);
  // Not asked: nothing reported; asked of a server without a response: "not stapled".
  t.is((await connect(client(server.port))).ocsp, null);
  const bare = await startSServer(t, serverIdentity());
  t.false((await connect(client(bare.port, { requestOcsp: true }))).ocsp?.stapled);
});

test('-servername/-cert2: SNI other.test gets the second certificate, no SNI the first', async (t) => {
  const server = await startSServer(t, [
    ...serverIdentity(),
    '-servername',
    'other.test',
    '-cert2',
    pki!.otherCert,
    '-key2',
    pki!.otherKey,
  ]);
  const other = await connect(client(server.port, { servername: 'other.test' }));
  t.is(other.servername, 'other.test');
  t.is(other.peerCertificates[0]?.subject, 'CN=other.test');
  t.true(other.authorized);
  // An IP address is never sent as SNI (RFC 6066 §3): the default certificate, checked for the IP.
  const plain = await connect(client(server.port, { servername: undefined }));
  t.is(plain.servername, null);
  t.is(plain.peerCertificates[0]?.subject, 'CN=localhost');
  t.true(plain.authorized);
});

test('a certificate for another name fails verification (exit-1 error) naming the reason', async (t) => {
  const server = await startSServer(t, serverIdentity());
  const error = await t.throwsAsync(connect(client(server.port, { servername: 'wrong.test' })), {
    instanceOf: CheckFailedError,
  });
  t.regex(
    error?.message ?? '',
    /certificate verification failed: the certificate is not for this host name: Host: wrong\.test\. is not in the cert's altnames: DNS:localhost, IP Address:127\.0\.0\.1 \(ERR_TLS_CERT_ALTNAME_INVALID\)$/,
  );
});

test('reconnect, TLS 1.3: every reconnection resumes with a ticket', async (t) => {
  const server = await startSServer(t, serverIdentity());
  const summary = await connect(client(server.port, { reconnect: 3 }));
  t.false(summary.resumed);
  t.is(summary.session?.protocol, 'TLSv1.3');
  t.truthy(summary.session?.ticket);
  t.deepEqual(
    summary.reconnects.map(({ sessionOffered, resumed, protocol }) => ({
      sessionOffered,
      resumed,
      protocol,
    })),
    Array.from({ length: 3 }, () => ({ sessionOffered: true, resumed: true, protocol: 'TLSv1.3' })),
  );
});

test('reconnect, TLS 1.2 with tickets: resumed, and the session carries a ticket', async (t) => {
  const server = await startSServer(t, serverIdentity());
  const summary = await connect(client(server.port, { maxVersion: 'TLSv1.2', reconnect: 2 }));
  t.is(summary.session?.protocol, 'TLSv1.2');
  t.truthy(summary.session?.ticket?.bytes);
  t.deepEqual(
    summary.reconnects.map((reconnect) => [reconnect.resumed, reconnect.protocol]),
    [
      [true, 'TLSv1.2'],
      [true, 'TLSv1.2'],
    ],
  );
});

test('reconnect, TLS 1.2 with session IDs only (-no_ticket): resumed by the same ID', async (t) => {
  const server = await startSServer(t, [...serverIdentity(), '-no_ticket']);
  const summary = await connect(client(server.port, { maxVersion: 'TLSv1.2', reconnect: 2 }));
  t.is(summary.session?.ticket, null);
  t.regex(summary.session?.id ?? '', /^[0-9a-f]{64}$/);
  t.deepEqual(
    summary.reconnects.map((reconnect) => [reconnect.resumed, reconnect.sessionId]),
    [
      [true, summary.session?.id],
      [true, summary.session?.id],
    ],
  );
  t.regex(server.output(), /Reused session-id/);
});

test('reconnect, TLS 1.3 without tickets (-num_tickets 0): nothing to offer, nothing resumed', async (t) => {
  const server = await startSServer(t, [...serverIdentity(), '-num_tickets', '0']);
  const summary = await connect(
    client(server.port, { reconnect: 1, sessionOutFile: join(pki!.dir, 'never.pem') }),
  );
  t.is(summary.session, null);
  t.deepEqual(
    summary.reconnects.map((reconnect) => [reconnect.sessionOffered, reconnect.resumed]),
    [[false, false]],
  );
  t.is(summary.sessionFile, null);
  t.regex(summary.warnings.join(), /the server sent no session/);
});

for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
  test(`sess-out → openssl s_client -sess_in, and s_client -sess_out → sess-in (${maxVersion})`, async (t) => {
    const server = await startSServer(t, serverIdentity());
    const versionFlag = maxVersion === 'TLSv1.2' ? '-tls1_2' : '-tls1_3';
    const ours = join(pki!.dir, `ours-${maxVersion}.pem`);
    const saved = await connect(client(server.port, { maxVersion, sessionOutFile: ours }));
    t.is(saved.sessionFile, ours);
    t.is((await stat(ours)).mode & 0o777, 0o600);
    t.regex(await readFile(ours, 'utf8'), /^-----BEGIN SSL SESSION PARAMETERS-----\n/);
    const resumedByOpenssl = await runOpenssl(
      [
        's_client',
        '-connect',
        `127.0.0.1:${server.port}`,
        '-sess_in',
        ours,
        '-CAfile',
        pki!.caCert,
        '-servername',
        'localhost',
        versionFlag,
      ],
      { timeoutMs: 10_000 },
    );
    t.regex(
      resumedByOpenssl.stdout,
      new RegExp(`Reused, ${maxVersion.replace('.', '\\.')}, Cipher is`),
    );

    const theirs = join(pki!.dir, `theirs-${maxVersion}.pem`);
    await captureOpensslSession(theirs, [
      '-connect',
      `127.0.0.1:${server.port}`,
      '-CAfile',
      pki!.caCert,
      '-servername',
      'localhost',
      versionFlag,
    ]);
    const resumedByUs = await connect(client(server.port, { maxVersion, sessionFile: theirs }));
    t.true(resumedByUs.sessionOffered);
    t.true(resumedByUs.resumed);
  });
}

test('renegotiation: done in TLS 1.2 when the server allows it, reported when it does not', async (t) => {
  const allowing = await startSServer(t, [...serverIdentity(), '-client_renegotiation']);
  const done = await connect(
    client(allowing.port, { maxVersion: 'TLSv1.2', renegotiate: true, timeoutMs: 5_000 }),
  );
  t.deepEqual(done.renegotiation, { ok: true, error: null });
  const refusing = await startSServer(t, serverIdentity());
  const refused = await connect(
    client(refusing.port, { maxVersion: 'TLSv1.2', renegotiate: true, timeoutMs: 2_000 }),
  );
  t.deepEqual(refused.renegotiation, {
    ok: false,
    error: 'the server did not renegotiate within 2 s',
  });
  const tls13 = await connect(client(refusing.port, { renegotiate: true }));
  t.false(tls13.renegotiation?.ok);
  t.regex(tls13.renegotiation?.error ?? '', /TLS 1\.3 has no renegotiation/);
});

test('--send reaches s_server, and --keylog writes the NSS key log (0600) for both versions', async (t) => {
  const server = await startSServer(t, serverIdentity());
  const keylogFile = join(pki!.dir, 'keys.log');
  await writeFile(keylogFile, '', { mode: 0o600 });
  await connect(
    client(server.port, { keylogFile, send: 'marker-13\n', expect: /never/, timeoutMs: 2_000 }),
  );
  await connect(
    client(server.port, {
      keylogFile,
      maxVersion: 'TLSv1.2',
      send: 'marker-12\n',
      expect: /never/,
      timeoutMs: 2_000,
    }),
  );
  const lines = (await readFile(keylogFile, 'utf8')).trim().split('\n');
  const labels = new Set(lines.map((line) => line.split(' ')[0]));
  for (const label of [
    'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
    'SERVER_HANDSHAKE_TRAFFIC_SECRET',
    'CLIENT_TRAFFIC_SECRET_0',
    'SERVER_TRAFFIC_SECRET_0',
    'CLIENT_RANDOM',
  ]) {
    t.true(labels.has(label), label);
  }
  t.true(lines.every((line) => /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$/.test(line)));
  t.is((await stat(keylogFile)).mode & 0o777, 0o600);
  t.regex(server.output(), /marker-13/);
  t.regex(server.output(), /marker-12/);
});

/**
 * `openssl s_client -sess_out FILE`, kept open until FILE is written: a TLS 1.3 ticket arrives
 * after the handshake, and s_client quits at the end of its input, maybe before that.
 */
async function captureOpensslSession(file: string, args: string[]): Promise<void> {
  const child = spawn('openssl', ['s_client', '-sess_out', file, ...args], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  try {
    const deadline = Date.now() + 10_000;
    while (
      !(await stat(file).then(
        (info) => info.size > 0,
        () => false,
      ))
    ) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`openssl s_client wrote no session to ${file}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill();
  }
}
