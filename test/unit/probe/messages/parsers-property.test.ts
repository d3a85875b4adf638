/**
 * Property tests: random and mutated bytes thrown at every parser of peer data. Each must return a
 * value or throw ProbeParseError, and nothing else: no RangeError, no TypeError, no hang.
 */
import test from 'ava';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAlert } from '../../../../src/probe/messages/alert.js';
import {
  parseCertificateList,
  parseCertificateStatus,
} from '../../../../src/probe/messages/certificate.js';
import { readFirstFlight } from '../../../../src/probe/messages/first-flight.js';
import { parseHandshakeMessages } from '../../../../src/probe/messages/handshake.js';
import { parseRecords } from '../../../../src/probe/messages/record.js';
import { parseServerHello } from '../../../../src/probe/messages/server-hello.js';
import { parseServerKeyExchange } from '../../../../src/probe/messages/server-key-exchange.js';
import { parseSslv2ServerMessage } from '../../../../src/probe/messages/sslv2.js';
import type { KeyExchange } from '../../../../src/probe/registry/cipher-suite-types.js';
import { FlightReader } from '../../../../src/probe/transport/flight-reader.js';
import { ProbeParseError } from '../../../../src/probe/wire/probe-parse-error.js';
import { fixturesDir } from '../../../helpers/index.js';

const RUNS = 2000;
const bytes = fc.uint8Array({ maxLength: 600 }).map((array) => Uint8Array.from(array));

/** Runs `parse`; a ProbeParseError counts as a clean refusal, anything else thrown fails. */
function parsesOrRefuses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    if (error instanceof ProbeParseError) return true;
    throw error;
  }
}

const recordings = readdirSync(join(fixturesDir, 'probe/server-hellos'))
  .filter((file) => file.endsWith('.hex'))
  .map((file) =>
    Uint8Array.from(
      Buffer.from(
        readFileSync(join(fixturesDir, 'probe/server-hellos', file), 'utf8').replace(/\s+/g, ''),
        'hex',
      ),
    ),
  );

/** A recorded answer with a few bytes flipped, cut, inserted or a length field stretched. */
const mutatedRecording = fc
  .record({
    recording: fc.constantFrom(...recordings),
    edits: fc.array(
      fc.record({
        kind: fc.constantFrom('flip', 'truncate', 'insert', 'max-length'),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ recording, edits }) => {
    let data = Uint8Array.from(recording);
    for (const edit of edits) {
      const at = edit.at % Math.max(1, data.length);
      if (edit.kind === 'flip') data[at] = edit.value;
      else if (edit.kind === 'truncate') data = data.slice(0, at);
      else if (edit.kind === 'insert')
        data = Uint8Array.from([...data.slice(0, at), edit.value, ...data.slice(at)]);
      else if (at + 1 < data.length) {
        data[at] = 0xff;
        data[at + 1] = 0xff;
      }
    }
    return data;
  });

test('record parser: random bytes', (t) => {
  fc.assert(
    fc.property(bytes, (data) => parsesOrRefuses(() => parseRecords(data))),
    { numRuns: RUNS },
  );
  t.pass();
});

test('ServerHello parser: random bodies and random extension blocks', (t) => {
  const helloLike = fc
    .record({ prefix: fc.uint8Array({ minLength: 38, maxLength: 38 }), tail: bytes })
    .map(({ prefix, tail }) =>
      Uint8Array.from([...prefix.slice(0, 34), 0, ...prefix.slice(34, 37), ...tail]),
    );
  fc.assert(
    fc.property(fc.oneof(bytes, helloLike), (data) =>
      parsesOrRefuses(() => parseServerHello(data)),
    ),
    {
      numRuns: RUNS,
    },
  );
  t.pass();
});

test('Certificate, CertificateStatus, alert and handshake framing: random bytes', (t) => {
  fc.assert(
    fc.property(bytes, (data) => {
      parsesOrRefuses(() => parseCertificateList(data));
      parsesOrRefuses(() => parseCertificateStatus(data));
      parsesOrRefuses(() => parseAlert(data));
      parsesOrRefuses(() => parseHandshakeMessages(data));
      return true;
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

test('ServerKeyExchange parser: random bytes for every key exchange and version', (t) => {
  const kx = fc.constantFrom<KeyExchange>(
    'ECDHE',
    'DHE',
    'RSA',
    'PSK',
    'DHE_PSK',
    'ECDHE_PSK',
    'RSA_PSK',
    'SRP',
  );
  fc.assert(
    fc.property(
      bytes,
      kx,
      fc.boolean(),
      fc.constantFrom(0x0300, 0x0301, 0x0303),
      (data, exchange, anonymous, version) =>
        parsesOrRefuses(() => parseServerKeyExchange(data, { kx: exchange, anonymous, version })),
    ),
    { numRuns: RUNS },
  );
  t.pass();
});

test('SSLv2 SERVER-HELLO parser: random bytes', (t) => {
  fc.assert(
    fc.property(bytes, (data) => parsesOrRefuses(() => parseSslv2ServerMessage(data))),
    { numRuns: RUNS },
  );
  t.pass();
});

test('first-flight reader: random bytes, in random chunks, for every mode', (t) => {
  fc.assert(
    fc.property(
      bytes,
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
      fc.constantFrom('server-hello', 'server-hello-done', 'sslv2' as const),
      (data, cuts, mode) => feedsCleanly(data, cuts, mode),
    ),
    { numRuns: RUNS },
  );
  t.pass();
});

test('first-flight reader and decoders: mutated real server answers', (t) => {
  fc.assert(
    fc.property(
      mutatedRecording,
      fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 10 }),
      (data, cuts) => feedsCleanly(data, cuts, 'server-hello-done'),
    ),
    { numRuns: RUNS },
  );
  t.pass();
});

function feedsCleanly(
  data: Uint8Array,
  cuts: number[],
  mode: 'server-hello' | 'server-hello-done' | 'sslv2',
): boolean {
  return parsesOrRefuses(() => {
    const reader = new FlightReader(mode, 1 << 16);
    let offset = 0;
    for (const cut of [...cuts, data.length]) {
      const result = reader.push(data.subarray(offset, offset + cut));
      offset += cut;
      if (result?.kind === 'handshake') {
        readFirstFlight(result.serverHello, result.messages);
        return;
      }
      if (result || offset >= data.length) return;
    }
  });
}
