/**
 * The stapled-OCSP describer against responses made by `openssl ocsp` (good, revoked), and
 * against every truncation of one: peer bytes give `malformed`, never an exception.
 */
import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeOcspResponse } from '../../../../src/tls/client/ocsp.js';
import { openssl } from '../../../helpers/index.js';
import { makeTestPki, removeTestPki, type TestPki } from './test-pki.js';

let pki: TestPki | undefined;
test.before(async () => {
  pki = await makeTestPki();
});
test.after.always(() => removeTestPki(pki));

async function serialOf(path: string): Promise<string> {
  return (await openssl(['x509', '-in', path, '-noout', '-serial'])).trim().replace(/^serial=/, '');
}

test("describes openssl's 'good' response for the server certificate", async (t) => {
  const der = await readFile(pki!.ocspResponse);
  const summary = describeOcspResponse(der);
  t.true(summary.stapled);
  t.is(summary.bytes, der.length);
  t.is(summary.responseStatus, 'successful');
  t.is(summary.malformed, null);
  t.is(summary.der, der.toString('base64'));
  t.is(summary.responses.length, 1);
  const [single] = summary.responses;
  t.is(single?.serialNumber, await serialOf(pki!.serverCert));
  t.is(single?.certStatus, 'good');
  t.is(single?.revocationTime, null);
  // openssl ocsp -ndays 1: nextUpdate one day after thisUpdate.
  const day = Date.parse(single?.nextUpdate ?? '') - Date.parse(single?.thisUpdate ?? '');
  t.is(day, 24 * 60 * 60 * 1000);
  const text = await openssl(['ocsp', '-respin', pki!.ocspResponse, '-resp_text', '-noverify']);
  t.regex(text, /Cert Status: good/);
});

test("describes a 'revoked' response with its revocation time", async (t) => {
  const dir = pki!.dir;
  const serial = await serialOf(pki!.serverCert);
  await writeFile(
    join(dir, 'revoked-index.txt'),
    `R\t301231235959Z\t260102030405Z,keyCompromise\t${serial}\tunknown\t/CN=localhost\n`,
  );
  await openssl([
    'ocsp',
    '-index',
    join(dir, 'revoked-index.txt'),
    '-rsigner',
    pki!.caCert,
    '-rkey',
    join(dir, 'ca.key'),
    '-CA',
    pki!.caCert,
    '-reqin',
    join(dir, 'ocsp-request.der'),
    '-respout',
    join(dir, 'revoked.der'),
  ]);
  const summary = describeOcspResponse(await readFile(join(dir, 'revoked.der')));
  t.is(summary.responses[0]?.certStatus, 'revoked');
  t.is(summary.responses[0]?.revocationTime, '2026-01-02T03:04:05.000Z');
});

test('a responder error has a status and no responses', (t) => {
  // OCSPResponse { responseStatus tryLater (3) }, as RFC 6960 §4.2.1 allows without responseBytes.
  const summary = describeOcspResponse(Buffer.from('30030a0103', 'hex'));
  t.is(summary.responseStatus, 'tryLater');
  t.deepEqual(summary.responses, []);
  t.is(summary.malformed, null);
});

test('every truncation and some garbage give "malformed", never an exception', async (t) => {
  const der = await readFile(pki!.ocspResponse);
  for (let length = 0; length < der.length; length++) {
    const summary = describeOcspResponse(der.subarray(0, length));
    t.not(summary.malformed, null, `truncated to ${length} bytes`);
  }
  for (const garbage of ['', '00', '3080', '30820fff0a0100', 'hello'].map((hex) =>
    Buffer.from(hex, 'hex'),
  )) {
    t.notThrows(() => describeOcspResponse(garbage));
  }
  t.regex(describeOcspResponse(Buffer.from('hello')).malformed ?? '', /OCSPResponse/);
});
