/**
 * SSLv2, which no peer on this machine can serve: a fake server answering the SSLv2
 * CLIENT-HELLO with a SERVER-HELLO (draft-hickman-netscape-ssl-00 §2.6), and the scan must
 * report the protocol, its cipher kinds as weak, and grade the server F.
 */
import test from 'ava';
import net from 'node:net';
import { encodeBytes } from '../../../src/probe/wire/byte-writer.js';
import { probe } from '../../../src/probe/probe.js';

/** A SERVER-HELLO offering RC4-MD5 and DES-CBC3-MD5, in a two-byte-header record. */
function sslv2ServerHello(): Buffer {
  const certificate = Buffer.from('not really a certificate');
  const specs = [0x010080, 0x0700c0];
  const body = encodeBytes((writer) => {
    writer.u8(4).u8(0).u8(1).u16(0x0002);
    writer
      .u16(certificate.length)
      .u16(specs.length * 3)
      .u16(16);
    writer.bytes(certificate);
    for (const spec of specs) writer.u24(spec);
    writer.bytes(new Uint8Array(16));
  });
  return Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]);
}

test('an SSLv2 server: the protocol, its cipher kinds, grade F', async (t) => {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {});
    socket.once('data', (hello: Buffer) => {
      // SSLv2 hellos start with a high-bit length; anything else gets a TLS handshake_failure.
      socket.end(
        (hello[0]! & 0x80) !== 0 ? sslv2ServerHello() : Buffer.from('15030100020228', 'hex'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const report = await probe({
    targets: [`127.0.0.1:${(server.address() as net.AddressInfo).port}`],
    scanners: ['ciphers'],
    timeoutMs: 3000,
  });
  const target = report.targets[0]!;
  t.deepEqual(
    target.protocols.map((protocol) => [protocol.protocol, protocol.supported]),
    [
      ['SSLv2', true],
      ['SSLv3', false],
      ['TLS1.0', false],
      ['TLS1.1', false],
      ['TLS1.2', false],
      ['TLS1.3', false],
    ],
  );
  t.deepEqual(target.cipherSuites, [
    {
      protocol: 'SSLv2',
      serverPreference: null,
      complete: true,
      error: null,
      suites: [
        {
          id: '0x010080',
          name: 'SSL_CK_RC4_128_WITH_MD5',
          openssl: 'RC4-MD5',
          kx: 'RSA',
          au: 'RSA',
          enc: 'RC4',
          mode: 'unknown',
          bits: 128,
          mac: 'MD5',
          strength: 'weak',
          reasons: ['SSLv2'],
        },
        {
          id: '0x0700c0',
          name: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5',
          openssl: 'DES-CBC3-MD5',
          kx: 'RSA',
          au: 'RSA',
          enc: '3DES',
          mode: 'unknown',
          bits: 168,
          mac: 'MD5',
          strength: 'weak',
          reasons: ['SSLv2'],
        },
      ],
    },
  ]);
  t.is(target.rating.grade, 'F');
  t.true(target.rating.reasons.some((reason) => reason.reason === 'SSLv2 is enabled'));
});
