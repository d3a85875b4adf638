import test from 'ava';
import { CheckFailedError, ExitCode } from '../../../../src/errors.js';
import {
  VERIFY_ERRORS,
  VerificationFailedError,
  failedVerdict,
  passedVerdict,
} from '../../../../src/pki/verify/verdict.js';

const at = new Date('2026-05-01T00:00:00Z');

test('every code has its own OpenSSL number', (t) => {
  const numbers = Object.values(VERIFY_ERRORS).map(([number]) => number);
  t.is(new Set(numbers).size, numbers.length);
  t.deepEqual(VERIFY_ERRORS.CERT_HAS_EXPIRED, [10, 'certificate has expired']);
  t.deepEqual(VERIFY_ERRORS.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, [
    20,
    'unable to get local issuer certificate',
  ]);
});

test('a failed verdict names the failing certificate and says why', (t) => {
  const verdict = failedVerdict(
    { code: 'CERT_REVOKED', depth: 1, detail: 'serial 1f on ca.crl' },
    ['CN=leaf', 'CN=CA', 'CN=Root'],
    true,
    at,
  );
  t.deepEqual(verdict, {
    ok: false,
    code: 'CERT_REVOKED',
    opensslError: 23,
    message: 'certificate revoked: serial 1f on ca.crl',
    depth: 1,
    subject: 'CN=CA',
    chain: ['CN=leaf', 'CN=CA', 'CN=Root'],
    trusted: true,
    at: '2026-05-01T00:00:00.000Z',
  });
});

test('a passed verdict', (t) => {
  t.like(passedVerdict(['CN=self'], at), {
    ok: true,
    code: 'OK',
    opensslError: 0,
    depth: null,
    subject: null,
  });
});

test('VerificationFailedError: exit code 1, one line, the verdict kept for --json', (t) => {
  const verdict = failedVerdict(
    { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 0 },
    ['CN=leaf'],
    false,
    at,
  );
  const error = new VerificationFailedError(verdict, 'leaf.pem');
  t.true(error instanceof CheckFailedError);
  t.is(error.exitCode, ExitCode.checkFailed);
  t.is(
    error.message,
    'leaf.pem: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 0 (CN=leaf): unable to get local issuer certificate',
  );
  t.regex(error.hint ?? '', /--untrusted/);
  t.is(error.result, verdict);
});
