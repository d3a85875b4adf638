import test from 'ava';
import { formatEventLines, formatSummaryLines } from '../../../../src/tls/server/event-lines.js';
import { stampEvent, type NewServerEvent } from '../../../../src/tls/server/events.js';
import { SummaryBuilder } from '../../../../src/tls/server/summary.js';

const start = new Date('2026-03-01T12:00:00.000Z');
const lines = (event: NewServerEvent, worker: number | null = null) =>
  formatEventLines(stampEvent(event, worker, () => start)).map((line) => line.slice(13));

const secure: NewServerEvent = {
  type: 'secure',
  connection: 3,
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_128_GCM_SHA256',
  cipherName: 'TLS_AES_128_GCM_SHA256',
  alpnProtocol: 'h2',
  servername: 'api.test',
  resumed: true,
  authorized: false,
  authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  peerCertificate: {
    subject: 'CN=mallory',
    issuer: 'CN=mallory',
    serialNumber: '01',
    fingerprint256: 'AB',
    validTo: '2026-04-01T00:00:00.000Z',
  },
  certificateSubject: 'CN=api.test',
};

test('a secure connection on one line: protocol, cipher, SNI, ALPN, resumption, client verdict', (t) => {
  t.deepEqual(lines(secure, 2), [
    'w2#3   secure        TLSv1.3 TLS_AES_128_GCM_SHA256 · sni api.test · alpn h2 · resumed · client CN=mallory (not authorized: DEPTH_ZERO_SELF_SIGNED_CERT)',
  ]);
});

test('failures, renegotiation limits and closes each say what happened', (t) => {
  t.deepEqual(
    lines({
      type: 'clientError',
      connection: 4,
      code: 'ERR_TLS_HANDSHAKE_TIMEOUT',
      reason: 'TLS handshake timeout',
    }),
    ['#4     client error  ERR_TLS_HANDSHAKE_TIMEOUT: TLS handshake timeout'],
  );
  t.deepEqual(
    lines({
      type: 'renegotiation',
      connection: 5,
      count: 3,
      limitReached: true,
      limit: 3,
      windowSeconds: 600,
    }),
    ['#5     renegotiation limit of 3 per 600 s reached: connection closed'],
  );
  t.deepEqual(
    lines({
      type: 'close',
      connection: 6,
      durationMs: 12,
      bytesRead: 500,
      bytesWritten: 1500,
      plaintextBytesRead: 5,
      plaintextBytesWritten: 14,
      secure: true,
    }),
    ['#6     close         after 12 ms · 500 bytes in, 1500 out (data 5 in, 14 out)'],
  );
});

test('the summary in a few lines, with failures by reason', (t) => {
  const builder = new SummaryBuilder(start);
  builder.add(
    stampEvent(
      { type: 'connection', connection: 1, remoteAddress: null, remotePort: null },
      null,
      () => start,
    ),
  );
  builder.add(stampEvent(secure, null, () => start));
  builder.add(
    stampEvent(
      { type: 'clientError', connection: 2, code: 'ERR_SSL_HTTP_REQUEST', reason: 'http request' },
      null,
      () => start,
    ),
  );
  const summary = builder.snapshot(new Date(start.getTime() + 2500), true);
  t.is(summary.uptimeMs, 2500);
  t.is(summary.openConnections, 1);
  t.deepEqual(summary.clientCertificates, { authorized: 0, unauthorized: 1 });
  t.deepEqual(formatSummaryLines(summary), [
    'Served 1 connection in 2.5 s: 1 secure, 1 resumed, 1 failed',
    '  protocols    TLSv1.3 ×1',
    '  ciphers      TLS_AES_128_GCM_SHA256 ×1',
    '  alpn         h2 ×1',
    '  sni          api.test ×1',
    '  client certs 0 authorized, 1 not',
    '  failures     ERR_SSL_HTTP_REQUEST ×1',
    '  bytes        0 in, 0 out (data 0 in, 0 out)',
  ]);
});
