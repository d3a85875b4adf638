import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem } from '../../../src/io/pem.js';
import { describeCrl } from '../../../src/pki/describe/crl.js';
import { fixturesDir } from '../../helpers/index.js';

async function crlDer(): Promise<Buffer> {
  const pem = await readFile(
    join(fixturesDir, 'inspect', 'openssl.p256-intermediate.crl.pem'),
    'utf8',
  );
  return decodePem(pem)[0]?.der as Buffer;
}

test('a CRL: issuer, updates, number, the revoked leaf with its reason', async (t) => {
  const crl = describeCrl(await crlDer(), {
    source: 'i.crl',
    now: new Date('2026-03-15T00:00:00Z'),
  });
  t.like(crl, {
    kind: 'crl',
    version: 2,
    issuerString: 'C=UK, O=tlskit fixtures, CN=tlskit Fixture Intermediate CA',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    thisUpdate: '2026-03-01T00:00:00.000Z',
    nextUpdate: '2026-04-01T00:00:00.000Z',
    overdue: false,
    crlNumber: '1',
  });
  t.is(crl.revoked.length, 1);
  t.like(crl.revoked[0], { serialNumber: '0A0B0C0D0E0F1011', reason: 'keyCompromise' });
});

test('a CRL past its nextUpdate is overdue', async (t) => {
  const crl = describeCrl(await crlDer(), {
    source: 'i.crl',
    now: new Date('2026-04-02T00:00:00Z'),
  });
  t.true(crl.overdue);
});
