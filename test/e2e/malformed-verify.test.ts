/**
 * `tlskit verify` against the malformed-input corpus (fixtures/malformed/ and verify/, see
 * README-verify.md): files it cannot read or parse exit 3, bad flags exit 2, each with one
 * stderr line that names the file or flag, and nothing is written.
 */
import { ExitCode } from '../../src/errors.js';
import { corpus, testBadInputs, type BadInput } from '../helpers/malformed.js';

const { badInput, usage } = ExitCode;
const good = corpus('good-ca.cert.pem');

const cases: Record<string, BadInput> = {
  'verify: missing certificate file': {
    args: (o) => ['verify', o],
    exitCode: badInput,
    says: /out\.pem: no such file/,
  },
  'verify: certificate is a folder': {
    args: (_o, d) => ['verify', d],
    exitCode: badInput,
    says: /is a folder/,
  },
  'verify: random bytes': {
    args: () => ['verify', corpus('garbage.bin')],
    exitCode: badInput,
    says: /garbage\.bin is neither PEM nor DER/,
  },
  'verify: empty file': {
    args: () => ['verify', corpus('empty.pem')],
    exitCode: badInput,
    says: /empty\.pem is empty/,
  },
  'verify: truncated DER certificate': {
    args: () => ['verify', corpus('truncated-cert.der')],
    exitCode: badInput,
    says: /truncated-cert\.der is truncated/,
  },
  'verify: a key where a certificate is expected': {
    args: () => ['verify', corpus('good.key.pem')],
    exitCode: badInput,
    says: /good\.key\.pem holds no certificate/,
  },
  'verify: a CRL where a certificate is expected': {
    args: () => ['verify', corpus('verify/good.crl.pem')],
    exitCode: badInput,
    says: /good\.crl\.pem holds no certificate/,
  },
  'verify: second certificate of a bundle cut short': {
    args: () => ['verify', corpus('verify/bad-second-cert.pem')],
    exitCode: badInput,
    says: /bad-second-cert\.pem #2 is truncated/,
  },
  'verify: --ca is garbage': {
    args: () => ['verify', '--ca', corpus('garbage.bin'), good],
    exitCode: badInput,
    says: /garbage\.bin is neither PEM nor DER/,
  },
  'verify: --ca is missing': {
    args: (o) => ['verify', '--ca', o, good],
    exitCode: badInput,
    says: /out\.pem: no such file/,
  },
  'verify: --untrusted is a key': {
    args: () => ['verify', '--untrusted', corpus('good.key.pem'), good],
    exitCode: badInput,
    says: /good\.key\.pem holds no certificate/,
  },
  'verify: --crl is a certificate': {
    args: () => ['verify', '--crl', good, good],
    exitCode: badInput,
    says: /good-ca\.cert\.pem holds no CRL/,
  },
  'verify: --crl truncated DER': {
    args: () => ['verify', '--crl', corpus('verify/truncated.crl.der'), good],
    exitCode: badInput,
    says: /truncated\.crl\.der is truncated/,
  },
  'verify: --crl PEM without END line': {
    args: () => ['verify', '--crl', corpus('verify/truncated.crl.pem'), good],
    exitCode: badInput,
    says: /truncated\.crl\.pem: PEM block X509 CRL is truncated/,
  },
  'verify: --at is not a time': {
    args: () => ['verify', '--at', 'next tuesday', good],
    exitCode: badInput,
    says: /--at: "next tuesday" is not a date/,
  },
  'verify: --ip is not an address': {
    args: () => ['verify', '--ip', '192.0.2', good],
    exitCode: usage,
    says: /--ip "192\.0\.2" is not an IP address/,
  },
  'verify: --host is an address': {
    args: () => ['verify', '--host', '192.0.2.1', good],
    exitCode: usage,
    says: /--host 192\.0\.2\.1 is an IP address \(use --ip 192\.0\.2\.1\)/,
  },
  'verify: --host and --ip together': {
    args: () => ['verify', '--host', 'a.example', '--ip', '192.0.2.1', good],
    exitCode: usage,
    says: /--ip.*--host/,
  },
  'verify: unknown purpose': {
    args: () => ['verify', '--purpose', 'email', good],
    exitCode: usage,
    says: /--purpose=email to be one of: server, client/,
  },
  'verify: unknown --crl-check scope': {
    args: () => ['verify', '--crl-check', 'some', good],
    exitCode: usage,
    says: /--crl-check=some to be one of: leaf, all/,
  },
  'verify: no certificate': {
    args: () => ['verify'],
    exitCode: usage,
    says: /Missing 1 required arg/,
  },
};

testBadInputs(cases);
