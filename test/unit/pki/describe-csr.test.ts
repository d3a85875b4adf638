import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { decodePem } from '../../../src/io/pem.js';
import { describeCsr } from '../../../src/pki/describe/csr.js';
import { renderTree } from '../../../src/render/text-tree.js';
import { csrTree } from '../../../src/pki/describe/csr.js';
import { fixturesDir } from '../../helpers/index.js';

async function csrDer(name: string): Promise<Buffer> {
  const data = await readFile(join(fixturesDir, 'inspect', name));
  return name.endsWith('.der') ? data : (decodePem(data.toString('utf8'))[0]?.der as Buffer);
}

test('an RSA CSR: subject, key, requested extensions, a valid signature', async (t) => {
  const csr = describeCsr(await csrDer('openssl.rsa2048.csr.pem'), { source: 'r.csr' });
  t.like(csr, {
    kind: 'csr',
    version: 1,
    subject: { C: 'UK', O: 'tlskit fixtures', CN: 'csr.example.test' },
    subjectString: 'C=UK, O=tlskit fixtures, CN=csr.example.test',
    keyType: 'rsa',
    bits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    signatureValid: true,
    attributes: [],
  });
  t.deepEqual(
    csr.extensions.map((extension) => [extension.name, extension.critical]),
    [
      ['subjectAltName', false],
      ['keyUsage', true],
      ['extendedKeyUsage', false],
    ],
  );
  t.deepEqual(csr.extensions[0]?.value, [
    { type: 'dns', value: 'csr.example.test' },
    { type: 'dns', value: 'www.csr.example.test' },
    { type: 'ip', value: '192.0.2.10' },
  ]);
});

test('a DER EC CSR without extensions', async (t) => {
  const csr = describeCsr(await csrDer('openssl.p256-leaf.csr.der'), { source: 'e.csr' });
  t.like(csr, {
    keyType: 'ec',
    curve: 'P-256',
    signatureValid: true,
    subjectString: 'CN=der.example.test',
  });
  t.deepEqual(csr.extensions, []);
});

test('a CSR whose signed bytes were altered does not verify, and says so in red', async (t) => {
  const der = Buffer.from(await csrDer('openssl.rsa2048.csr.pem'));
  // Change one letter of the subject's CN ("csr.example.test" → "csr.exbmple.test").
  const at = der.indexOf('csr.example.test');
  der[at + 6] = 'b'.charCodeAt(0);
  const csr = describeCsr(der, { source: 'tampered.csr' });
  t.is(csr.signatureValid, false);
  t.is(csr.subject.CN, 'csr.exbmple.test');
  const text = renderTree([csrTree(csr, 'Certificate request')], {
    heading: (s) => s,
    label: (s) => s,
    branch: (s) => s,
    good: (s) => `<good>${s}</good>`,
    warning: (s) => s,
    bad: (s) => `<bad>${s}</bad>`,
    muted: (s) => s,
  });
  t.regex(text, /Signature: <bad>INVALID/);
});

test('a certificate is not a CSR', async (t) => {
  const cert = await csrDer('openssl.rsa2048.cert.der');
  t.throws(() => describeCsr(cert, { source: 'cert.der' }), {
    instanceOf: InputError,
    message: 'cert.der: not a valid certificate request',
  });
});

test('includePem writes the CSR back under the PKCS#10 label', async (t) => {
  const csr = describeCsr(await csrDer('openssl.rsa2048.csr.pem'), {
    source: 'r',
    includePem: true,
  });
  t.is(csr.pem, await readFile(join(fixturesDir, 'inspect', 'openssl.rsa2048.csr.pem'), 'utf8'));
});
