/**
 * `tlskit probe` against the malformed-input corpus: bad targets files and trust anchors are
 * refused before any connection, with one stderr line naming the file (and line), exit 3.
 */
import { ExitCode } from '../../src/errors.js';
import { corpus, testBadInputs } from '../helpers/malformed.js';

// Port 9 (discard): nothing is ever sent there, the input is refused first.
const target = '127.0.0.1:9';
const { badInput, usage } = ExitCode;

testBadInputs({
  'probe --targets: a bad port, named by its line': {
    args: () => ['probe', '--targets', corpus('probe/bad-port.targets')],
    exitCode: badInput,
    says: /bad-port\.targets:3: target "example\.test:99999": "99999" is not a port/,
  },
  'probe --targets: binary bytes are not echoed': {
    args: () => ['probe', '--targets', corpus('probe/binary.targets')],
    exitCode: badInput,
    says: /binary\.targets:2: not a HOST:PORT line \(the file must be text/,
  },
  'probe --targets: comments only': {
    args: () => ['probe', '--targets', corpus('probe/comments-only.targets')],
    exitCode: badInput,
    says: /comments-only\.targets: no targets in the file/,
  },
  'probe --targets: random bytes': {
    args: () => ['probe', '--targets', corpus('garbage.bin')],
    exitCode: badInput,
    says: /garbage\.bin:\d+: not a HOST:PORT line|garbage\.bin: no targets/,
  },
  'probe --ca: a private key, no certificate': {
    args: () => ['probe', target, '--certs', '--ca', corpus('probe/key-only.pem')],
    exitCode: badInput,
    says: /key-only\.pem: no CERTIFICATE in the file/,
  },
  'probe --ca: an empty file': {
    args: () => ['probe', target, '--certs', '--ca', corpus('empty.pem')],
    exitCode: badInput,
    says: /empty\.pem: no CERTIFICATE in the file/,
  },
  'probe --ca: random bytes': {
    args: () => ['probe', target, '--certs', '--ca', corpus('garbage.bin')],
    exitCode: badInput,
    says: /garbage\.bin: certificate #0 is not a valid certificate/,
  },
  'probe --ca: a truncated DER certificate': {
    args: () => ['probe', target, '--certs', '--ca', corpus('truncated-cert.der')],
    exitCode: badInput,
    says: /truncated-cert\.der: certificate #0 is not a valid certificate/,
  },
  'probe --ca: BEGIN and END that do not match': {
    args: () => ['probe', target, '--certs', '--ca', corpus('mismatched-end.pem')],
    exitCode: badInput,
    says: /mismatched-end\.pem/,
  },
  'probe: --timeout 0': {
    args: () => ['probe', target, '--timeout', '0'],
    exitCode: usage,
    says: /timeout/i,
  },
  'probe: unknown STARTTLS protocol': {
    args: () => ['probe', target, '--starttls', 'gopher'],
    exitCode: usage,
    says: /starttls/i,
  },
});
