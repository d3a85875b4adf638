/**
 * Byte-exact encoded ClientHellos: every hello a scan sends, with fixed randomness and fixed key
 * shares. Rewrite the golden files with UPDATE_GOLDEN=1 after an intended change, and read the
 * diff: each byte of a hello is a decision.
 */
import test from 'ava';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cipherSuitesToOffer } from '../../../src/probe/registry/cipher-suites.js';
import { ExtensionType } from '../../../src/probe/registry/extension-types.js';
import {
  encodeProbeHello,
  encodeSslv2ProbeHello,
  type ProbeHelloOptions,
} from '../../../src/probe/scanners/probe-hello.js';
import { repoRoot } from '../../helpers/index.js';
import { decodeClientHelloRecord } from '../../unit/probe/support/client-hello-reader.js';
import { deterministicEntropy } from '../../unit/probe/support/deterministic-entropy.js';

const goldenDir = join(repoRoot, 'test/golden/probe/client-hellos');
const suites = (version: number) => cipherSuitesToOffer(version).map((row) => row.id);

const HELLOS: Array<{ name: string; options: ProbeHelloOptions }> = [
  {
    name: 'tls13-all-suites',
    options: { protocol: 'TLS1.3', cipherSuites: suites(0x0304), serverName: 'example.test' },
  },
  {
    name: 'tls13-empty-key-share',
    options: {
      protocol: 'TLS1.3',
      cipherSuites: suites(0x0304),
      serverName: null,
      groups: [0x001d, 0x0017, 0x0018],
      keyShareGroups: [],
    },
  },
  {
    name: 'tls12-all-suites',
    options: { protocol: 'TLS1.2', cipherSuites: suites(0x0303), serverName: 'example.test' },
  },
  {
    name: 'tls12-two-suites-alpn-fallback',
    options: {
      protocol: 'TLS1.2',
      cipherSuites: [0xc02f, 0x009e],
      serverName: '127.0.0.1',
      alpn: ['h2', 'http/1.1'],
      fallbackScsv: true,
    },
  },
  {
    name: 'tls10-all-suites',
    options: { protocol: 'TLS1.0', cipherSuites: suites(0x0301), serverName: 'example.test' },
  },
  {
    name: 'sslv3-all-suites',
    options: { protocol: 'SSLv3', cipherSuites: suites(0x0300), serverName: 'example.test' },
  },
];

for (const { name, options } of HELLOS) {
  test(`${name} encodes byte for byte as recorded`, async (t) => {
    const bytes = encodeProbeHello(options, deterministicEntropy());
    await checkGolden(t, `${name}.hex`, hexLines(bytes));
  });
}

test('sslv2 CLIENT-HELLO encodes byte for byte as recorded', async (t) => {
  const bytes = encodeSslv2ProbeHello(deterministicEntropy());
  t.is(bytes[0]! & 0x80, 0x80, 'two-byte SSLv2 header');
  t.is(((bytes[0]! & 0x7f) << 8) | bytes[1]!, bytes.length - 2);
  await checkGolden(t, 'sslv2.hex', hexLines(bytes));
});

test('a TLS 1.3 hello offers only TLS 1.3, with genuine X25519 and P-256 shares', (t) => {
  const hello = decodeClientHelloRecord(encodeProbeHello(HELLOS[0]!.options, deterministicEntropy()));
  t.is(hello.recordVersion, 0x0301);
  t.is(hello.version, 0x0303, 'legacy_version stays TLS 1.2 (RFC 8446 §4.1.2)');
  t.is(hello.sessionId.length, 32);
  t.deepEqual(hello.compressionMethods, [0]);
  const types = hello.extensions!.map((extension) => extension.type);
  t.deepEqual(types, [0x0000, 0x002b, 0x000a, 0x0033, 0x000d, 0x002d, 0x0015], 'padding last');
  const versions = hello.extensions!.find((extension) => extension.type === ExtensionType.supportedVersions)!;
  t.deepEqual(Buffer.from(versions.data).toString('hex'), '020304');
  const keyShare = hello.extensions!.find((extension) => extension.type === ExtensionType.keyShare)!;
  // client_shares length, then x25519 (0x001d, 32 bytes) and secp256r1 (0x0017, 65 bytes, 0x04…).
  const data = Buffer.from(keyShare.data);
  t.is(data.readUInt16BE(0), 4 + 32 + 4 + 65);
  t.is(data.readUInt16BE(2), 0x001d);
  t.is(data.readUInt16BE(4), 32);
  t.is(data.readUInt16BE(38), 0x0017);
  t.is(data.readUInt16BE(40), 65);
  t.is(data[42], 0x04, 'uncompressed point');
});

test('an IP address is never sent as SNI, and TLS ≤ 1.2 hellos carry the scan extensions', (t) => {
  const hello = decodeClientHelloRecord(encodeProbeHello(HELLOS[3]!.options, deterministicEntropy()));
  t.is(hello.version, 0x0303);
  t.deepEqual(hello.cipherSuites, [0xc02f, 0x009e, 0x5600]);
  t.deepEqual(hello.compressionMethods, [1, 0]);
  const types = hello.extensions!.map((extension) => extension.type);
  t.false(types.includes(ExtensionType.serverName));
  t.deepEqual(types, [0x000b, 0x000a, 0x0023, 0x0005, 0x000d, 0x0016, 0x0017, 0xff01, 0x0010, 0x0015]);
});

test('hellos between 256 and 511 bytes are padded to 512 (RFC 7685)', (t) => {
  // SSLv3 hellos have no extensions block to pad with.
  for (const { options } of HELLOS.filter((hello) => hello.options.protocol !== 'SSLv3')) {
    const bytes = encodeProbeHello(options, deterministicEntropy());
    const handshakeLength = bytes.length - 5;
    t.false(handshakeLength >= 256 && handshakeLength < 512, `${options.protocol}: ${handshakeLength}`);
  }
});

test('an SSLv3 hello has no extensions block and signals renegotiation by SCSV', (t) => {
  const hello = decodeClientHelloRecord(encodeProbeHello(HELLOS[5]!.options, deterministicEntropy()));
  t.is(hello.recordVersion, 0x0300);
  t.is(hello.version, 0x0300);
  t.is(hello.extensions, null);
  t.is(hello.cipherSuites.at(-1), 0x00ff);
});

function hexLines(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${(hex.match(/.{1,64}/g) ?? []).join('\n')}\n`;
}

async function checkGolden(t: { is: (a: string, b: string) => void }, file: string, actual: string) {
  const path = join(goldenDir, file);
  if (process.env.UPDATE_GOLDEN === '1') {
    await mkdir(goldenDir, { recursive: true });
    await writeFile(path, actual);
  }
  t.is(actual, await readFile(path, 'utf8'));
}
