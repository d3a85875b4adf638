/**
 * `tlskit dhparam` against the DH part of the malformed-input corpus (fixtures/malformed/dh/,
 * README-dh.md): a non-zero exit code, exactly one stderr line naming the problem, no stack
 * trace, and no file written.
 */
import { ExitCode } from '../../src/errors.js';
import { corpus, testBadInputs, type BadInput } from '../helpers/malformed.js';

const { badInput, checkFailed, usage, refused } = ExitCode;
const dh = (name: string) => corpus(`dh/${name}`);

const cases: Record<string, BadInput> = {
  'dhparam --check: truncated PEM': {
    args: () => ['dhparam', '--check', dh('truncated.dh.pem')],
    exitCode: badInput,
    says: /truncated/,
  },
  'dhparam --check: truncated DER': {
    args: () => ['dhparam', '--check', dh('truncated.dh.der')],
    exitCode: badInput,
    says: /not valid DH parameters/,
  },
  'dhparam --check: garbage': {
    args: () => ['dhparam', '--check', corpus('garbage.bin')],
    exitCode: badInput,
    says: /garbage\.bin: not valid DH parameters/,
  },
  'dhparam --check: empty file': {
    args: () => ['dhparam', '--check', corpus('empty.pem')],
    exitCode: badInput,
    says: /empty/,
  },
  'dhparam --check: wrong PEM label': {
    args: () => ['dhparam', '--check', dh('wrong-label.pem')],
    exitCode: badInput,
    says: /holds EC PARAMETERS, not DH PARAMETERS/,
  },
  'dhparam --check: a certificate': {
    args: () => ['dhparam', '--check', corpus('good-ca.cert.pem')],
    exitCode: badInput,
    says: /holds CERTIFICATE, not DH PARAMETERS/,
  },
  'dhparam --check: missing file': {
    args: (o) => ['dhparam', '--check', o],
    exitCode: badInput,
    says: /no such file/,
  },
  'dhparam --check: p not prime': {
    args: () => ['dhparam', '--check', dh('not-prime.dh.pem')],
    exitCode: checkFailed,
    says: /p is not prime/,
  },
  'dhparam --check: p not a safe prime': {
    args: () => ['dhparam', '--check', dh('not-safe.dh.pem')],
    exitCode: checkFailed,
    says: /not a safe prime/,
  },
  'dhparam --check: g out of range': {
    args: () => ['dhparam', '--check', dh('g-out-of-range.dh.pem')],
    exitCode: checkFailed,
    says: /g = p-1 is out of range/,
  },
  'dhparam --check: 512-bit group': {
    args: () => ['dhparam', '--check', dh('small.dh.pem')],
    exitCode: checkFailed,
    says: /512 bits.*below 1024/,
  },
  'dhparam: --bits 1024 without --allow-weak': {
    args: (o) => ['dhparam', '--bits', '1024', '--out', o],
    exitCode: refused,
    says: /below 2048 bits/,
  },
  'dhparam: --bits 512': {
    args: (o) => ['dhparam', '--bits', '512', '--out', o, '--allow-weak'],
    exitCode: usage,
    says: /--bits=512/,
  },
  'dhparam: unknown group': {
    args: (o) => ['dhparam', '--group', 'ffdhe1024', '--out', o],
    exitCode: usage,
    says: /ffdhe1024/,
  },
  'dhparam: out is a folder': {
    args: (_o, d) => ['dhparam', '--group', 'ffdhe2048', '--out', d],
    exitCode: badInput,
    says: /is a folder/,
  },
};

testBadInputs(cases);
