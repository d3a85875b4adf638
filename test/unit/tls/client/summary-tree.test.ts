import test from 'ava';
import { renderTree } from '../../../../src/render/text-tree.js';
import type { ConnectionSummary } from '../../../../src/tls/client/connect.js';
import { connectionTree } from '../../../../src/tls/client/summary-tree.js';

const leaf = {
  subject: 'CN=localhost',
  issuer: 'CN=Test Root',
  serialNumber: '0A',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  subjectAltName: 'DNS:localhost',
  publicKey: 'EC P-256',
  ca: false,
  selfIssued: false,
  fingerprint256: 'AA:BB',
  pem: '-----BEGIN CERTIFICATE-----\n',
};
const root = { ...leaf, subject: 'CN=Test Root', ca: true, selfIssued: true, fingerprint256: 'CC' };

const summary: ConnectionSummary = {
  address: '127.0.0.1:4433',
  servername: 'localhost',
  starttls: 'smtp',
  protocol: 'TLSv1.3',
  cipher: {
    name: 'TLS_AES_128_GCM_SHA256',
    standardName: 'TLS_AES_128_GCM_SHA256',
    version: 'TLSv1.3',
  },
  ephemeralKey: { type: 'ECDH', name: 'X25519', bits: 253 },
  alpnProtocol: 'h2',
  sessionOffered: false,
  resumed: false,
  authorized: false,
  authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  authorizationReason: 'the certificate is self-signed and not trusted',
  peerCertificates: [leaf, root],
  clientCertificate: null,
  ocsp: {
    stapled: true,
    bytes: 471,
    responseStatus: 'successful',
    producedAt: '2026-01-01T00:00:00.000Z',
    responses: [
      {
        serialNumber: '0A',
        certStatus: 'good',
        revocationTime: null,
        thisUpdate: null,
        nextUpdate: '2026-01-02T00:00:00.000Z',
      },
    ],
    malformed: null,
    der: '',
  },
  session: {
    protocol: 'TLSv1.3',
    id: 'ab',
    ticket: { bytes: 208, lifetimeHintSeconds: 7200 },
    servername: null,
  },
  connectMs: 12,
  maxSendFragment: null,
  renegotiation: null,
  exchange: null,
  reconnects: [
    {
      attempt: 1,
      sessionOffered: true,
      resumed: true,
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      sessionId: 'cd',
      connectMs: 3,
    },
    {
      attempt: 2,
      sessionOffered: true,
      resumed: false,
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      sessionId: 'ef',
      connectMs: 4,
    },
  ],
  sessionFile: null,
  keylogFile: null,
  warnings: [],
};

test('the summary tree says what was negotiated, the verdict and each reconnection', (t) => {
  t.is(
    renderTree([connectionTree(summary)]),
    [
      'Connected to 127.0.0.1:4433 (SNI localhost) in 12 ms',
      '├─ STARTTLS: smtp',
      '├─ Protocol: TLSv1.3',
      '├─ Cipher: TLS_AES_128_GCM_SHA256',
      '├─ Key exchange: X25519 (253 bits)',
      '├─ ALPN: h2',
      '├─ Session: new (ticket of 208 bytes, lifetime 7200 s)',
      '├─ Verification: FAILED, connected anyway (--insecure): the certificate is self-signed and not trusted',
      '├─ Client certificate: none',
      '├─ OCSP: stapled, 471 bytes (signature not checked)',
      '│  ├─ Produced: 2026-01-01T00:00:00.000Z',
      '│  └─ Serial 0A: good, next update 2026-01-02T00:00:00.000Z',
      '├─ Reconnects',
      '│  ├─ 1: resumed, TLSv1.3, TLS_AES_128_GCM_SHA256, 3 ms',
      '│  └─ 2: new (offered session refused), TLSv1.3, TLS_AES_128_GCM_SHA256, 4 ms',
      '└─ Server certificate',
      '   ├─ Subject: CN=localhost',
      '   ├─ Issuer: CN=Test Root',
      '   ├─ Valid: 2026-01-01T00:00:00.000Z to 2027-01-01T00:00:00.000Z',
      '   ├─ SANs: DNS:localhost',
      '   ├─ Public key: EC P-256',
      '   ├─ Serial: 0A',
      '   ├─ SHA-256: AA:BB',
      '   └─ Chain: CN=Test Root',
    ].join('\n'),
  );
});

test('--showcerts lists every certificate by depth', (t) => {
  const text = renderTree([connectionTree(summary, { showCertificates: true })]);
  t.regex(text, /└─ Certificate chain\n {3}├─ 0: CN=localhost\n/);
  t.regex(text, /\n {3}└─ 1: CN=Test Root\n {6}├─ Subject: CN=Test Root \(CA, self-issued\)\n/);
});
