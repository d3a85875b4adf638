import test from 'ava';
import * as tlskit from '../../src/index.js';

test('the public API makes a key, a CSR and a self-signed certificate in-process', async (t) => {
  const { privateKey } = await tlskit.generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = tlskit.createCsr({
    key: privateKey,
    subject: tlskit.parseSubject('/CN=api.test'),
    sans: [tlskit.parseSan('api.test')],
  });
  const request = tlskit.readCsr(csr.der, 'memory');
  t.true(request.signatureValid);
  const now = new Date('2026-06-01T00:00:00Z');
  const certificate = await tlskit.issueCertificate({
    subject: request.subject,
    publicKey: request.publicKey,
    issuer: { name: request.subject, key: privateKey },
    profile: await tlskit.loadProfile('server'),
    validity: tlskit.resolveValidity({ days: 30 }, now, 365),
    serial: tlskit.randomSerial(),
    extraExtensions: request.requestedExtensions,
  });
  // Backdated a minute for clock skew; the lifetime counts from now.
  t.is(certificate.notAfter.getTime() - now.getTime(), 30 * 86_400_000);
  t.true(certificate.notBefore < now);
  t.regex(certificate.pem, /^-----BEGIN CERTIFICATE-----/);
});

test('errors carry their exit codes', (t) => {
  t.is(new tlskit.InputError('x').exitCode, tlskit.ExitCode.badInput);
  t.is(new tlskit.FileExistsError('a.pem').exitCode, tlskit.ExitCode.refused);
  t.true(tlskit.isTlskitError(new tlskit.UsageError('x')));
});
