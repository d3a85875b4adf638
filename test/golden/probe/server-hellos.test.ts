/**
 * Parsing of real server answers: fixtures/probe/server-hellos/*.hex were recorded from openssl
 * s_server by make-server-hellos.sh. Each one's parse is summarised as JSON and compared with the
 * golden file (UPDATE_GOLDEN=1 rewrites them after a re-recording or an intended change).
 */
import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFirstFlight } from '../../../src/probe/messages/first-flight.js';
import { cipherSuiteName } from '../../../src/probe/registry/cipher-suites.js';
import { extensionName } from '../../../src/probe/registry/extension-types.js';
import { groupName } from '../../../src/probe/registry/groups.js';
import { signatureSchemeName } from '../../../src/probe/registry/signature-schemes.js';
import { versionName } from '../../../src/probe/registry/versions.js';
import { FlightReader, type FlightResult } from '../../../src/probe/transport/flight-reader.js';
import { fixturesDir, repoRoot } from '../../helpers/index.js';

const recordings = join(fixturesDir, 'probe/server-hellos');
const goldenDir = join(repoRoot, 'test/golden/probe/server-hellos');

const names = (await readdir(recordings)).filter((file) => file.endsWith('.hex')).sort();

test('every recording has been read', (t) => {
  t.true(names.length >= 8);
});

for (const file of names) {
  const name = file.replace(/\.hex$/, '');
  test(`${name} parses as recorded`, async (t) => {
    const bytes = Buffer.from((await readFile(join(recordings, file), 'utf8')).replace(/\s+/g, ''), 'hex');
    const summary = summarise(readWhole(bytes));
    const actual = `${JSON.stringify(summary, null, 2)}\n`;
    const path = join(goldenDir, `${name}.json`);
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(path, actual);
    t.is(actual, await readFile(path, 'utf8'));
  });

  test(`${name} settles the same when it arrives one byte at a time`, async (t) => {
    const bytes = Buffer.from((await readFile(join(recordings, file), 'utf8')).replace(/\s+/g, ''), 'hex');
    const reader = new FlightReader('server-hello-done', 1 << 20);
    let result: FlightResult | undefined;
    for (let index = 0; index < bytes.length && !result; index++) {
      result = reader.push(bytes.subarray(index, index + 1));
    }
    t.deepEqual(summarise(result), summarise(readWhole(bytes)));
  });
}

function readWhole(bytes: Uint8Array): FlightResult | undefined {
  return new FlightReader('server-hello-done', 1 << 20).push(bytes);
}

function summarise(result: FlightResult | undefined): unknown {
  if (!result) return { kind: 'incomplete' };
  if (result.kind === 'alert') return { kind: 'alert', alert: result.alert };
  if (result.kind === 'sslv2') return { kind: 'sslv2' };
  const hello = result.serverHello;
  const flight = readFirstFlight(hello, result.messages);
  const keyExchange = flight.serverKeyExchange;
  return {
    kind: hello.kind,
    version: versionName(hello.version),
    cipherSuite: cipherSuiteName(hello.cipherSuite),
    compressionMethod: hello.compressionMethod,
    sessionIdBytes: hello.sessionId.length,
    extensions: hello.extensions.map((extension) => extensionName(extension.type)),
    selectedGroup: hello.selectedGroup === null ? null : groupName(hello.selectedGroup),
    secureRenegotiation: hello.renegotiationInfo !== null,
    sessionTicket: hello.sessionTicket,
    statusRequest: hello.statusRequest,
    extendedMasterSecret: hello.extendedMasterSecret,
    encryptThenMac: hello.encryptThenMac,
    downgradeSentinel: hello.downgradeSentinel,
    messages: result.messages.map((message) => message.type),
    certificates: flight.certificates?.map((der) => new X509Certificate(der).subject) ?? null,
    keyExchange:
      keyExchange?.kind === 'ecdhe'
        ? { kind: 'ecdhe', group: groupName(keyExchange.group ?? -1), signature: signatureSchemeName(keyExchange.signatureScheme ?? 0) }
        : keyExchange?.kind === 'dhe'
          ? { kind: 'dhe', primeBits: keyExchange.primeBits, signature: signatureSchemeName(keyExchange.signatureScheme ?? 0) }
          : null,
    ocspResponseBytes: flight.ocspResponse?.length ?? null,
  };
}
