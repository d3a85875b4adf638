import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../../src/errors.js';
import { encodePem } from '../../../../src/io/pem.js';
import {
  describeSession,
  encodeSessionPem,
  readSessionFile,
} from '../../../../src/tls/client/session.js';
import { makeTempDir } from '../../../helpers/index.js';

/**
 * An SSL_SESSION as OpenSSL serializes it (ssl/ssl_asn1.c), trimmed to the fields read here:
 * version 1, TLS 1.2, cipher, a 4-byte session ID, a master key, [6] hostname, [9] lifetime
 * hint 300, [10] a 3-byte ticket.
 */
const SESSION = Buffer.from(
  '302c' +
    '020101' +
    '02020303' +
    '0402c02b' +
    '0404deadbeef' +
    '04020102' +
    'a60b0409' +
    Buffer.from('localhost').toString('hex') +
    'a904020201' +
    '2c' +
    'aa050403010203',
  'hex',
);

test('describeSession reads protocol, ID, ticket, lifetime hint and SNI', (t) => {
  // Fix the outer length: everything after the two header bytes.
  const der = Buffer.from(SESSION);
  der[1] = der.length - 2;
  t.deepEqual(describeSession(der), {
    protocol: 'TLSv1.2',
    id: 'deadbeef',
    ticket: { bytes: 3, lifetimeHintSeconds: 300 },
    servername: 'localhost',
  });
});

test('describeSession gives nulls, not errors, for bytes it does not understand', (t) => {
  for (const hex of ['', '00', '3005020101', '30ff', '0403010203']) {
    t.deepEqual(describeSession(Buffer.from(hex, 'hex')).ticket, null);
  }
});

test('session files: PEM as openssl writes it, or DER; anything else is an input error', async (t) => {
  const dir = await makeTempDir(t);
  const der = Buffer.from('3003020101', 'hex');
  await writeFile(join(dir, 'session.pem'), encodeSessionPem(der));
  t.deepEqual(await readSessionFile(join(dir, 'session.pem')), der);
  await writeFile(join(dir, 'session.der'), der);
  t.deepEqual(await readSessionFile(join(dir, 'session.der')), der);
  await writeFile(join(dir, 'cert.pem'), encodePem('CERTIFICATE', der));
  await t.throwsAsync(readSessionFile(join(dir, 'cert.pem')), {
    instanceOf: InputError,
    message: /holds no SSL SESSION PARAMETERS block/,
  });
  await writeFile(join(dir, 'junk'), 'not a session');
  await t.throwsAsync(readSessionFile(join(dir, 'junk')), {
    instanceOf: InputError,
    message: /is not a TLS session/,
  });
});
