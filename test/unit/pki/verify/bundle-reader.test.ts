import test from 'ava';
import { InputError } from '../../../../src/errors.js';
import { readPkiBundle } from '../../../../src/pki/verify/bundle-reader.js';
import { encodePem } from '../../../../src/io/pem.js';
import { makeCertificate, makeCrl } from '../../../helpers/chains.js';

test('a PEM bundle: certificates and CRLs in order, other blocks skipped, objects numbered', async (t) => {
  const first = await makeCertificate({ subject: '/CN=first' });
  const second = await makeCertificate({ subject: '/CN=second' });
  const crl = makeCrl(first);
  const key = encodePem('PRIVATE KEY', first.key.export({ type: 'pkcs8', format: 'der' }));
  const bundle = readPkiBundle(
    Buffer.from(`notes before\n${first.pem}${key}${crl.pem}${second.pem}`),
    'bundle.pem',
  );
  t.deepEqual(
    bundle.certificates.map((certificate) => [certificate.subjectText, certificate.source]),
    [
      ['CN=first', 'bundle.pem #1'],
      ['CN=second', 'bundle.pem #3'],
    ],
  );
  t.deepEqual(
    bundle.crls.map((list) => list.source),
    ['bundle.pem #2'],
  );
});

test('a single object keeps the file name as its source', async (t) => {
  const certificate = await makeCertificate({ subject: '/CN=alone' });
  t.is(
    readPkiBundle(Buffer.from(certificate.pem), 'alone.pem').certificates[0]?.source,
    'alone.pem',
  );
  t.is(readPkiBundle(certificate.der, 'alone.der').certificates[0]?.source, 'alone.der');
});

test('DER: a certificate or a CRL, the expected kind tried first', async (t) => {
  const certificate = await makeCertificate({ subject: '/CN=der' });
  const crl = makeCrl(certificate);
  t.is(readPkiBundle(crl.der, 'list.der', 'crl').crls.length, 1);
  t.is(readPkiBundle(crl.der, 'list.der', 'certificate').crls.length, 1);
  t.is(readPkiBundle(certificate.der, 'cert.der', 'crl').certificates.length, 1);
});

test('neither PEM nor DER is an InputError', (t) => {
  t.throws(() => readPkiBundle(Buffer.from('hello'), 'hello.txt'), {
    instanceOf: InputError,
    message: 'hello.txt is neither PEM nor DER',
  });
});
