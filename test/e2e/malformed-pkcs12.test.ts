/**
 * `tlskit pfx import` and `pfx export` against bad inputs (fixtures/malformed/pkcs12/, see
 * README-pkcs12.md): each gets the expected exit code, exactly one stderr line naming the
 * problem, no stack trace, and no file written.
 */
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { fixturesDir } from '../helpers/index.js';
import { corpus, testBadInputs, type BadInput } from '../helpers/malformed.js';

const { badInput, usage, refused } = ExitCode;
const p12 = (name: string) => corpus(join('pkcs12', name));
const fixture = (name: string) => join(fixturesDir, 'pkcs12', name);
const RIGHT = 'pass:right-pass';

/** `pfx import FILE` with the right password and both outputs in the test's folder. */
const importing =
  (file: string, ...extra: string[]) =>
  (out: string) => [
    'pfx',
    'import',
    file,
    '--passin',
    RIGHT,
    '--out-key',
    `${out}.key`,
    '--out-cert',
    out,
    ...extra,
  ];

/** `pfx export` of good.key.pem and its certificate, with a valid new passphrase. */
const exporting =
  (...extra: string[]) =>
  (out: string) => [
    'pfx',
    'export',
    '--key',
    corpus('good.key.pem'),
    '--cert',
    corpus('good-ca.cert.pem'),
    '--out',
    out,
    ...extra,
  ];

const cases: Record<string, BadInput> = {
  // pfx import: damaged files
  'pfx import: truncated file': {
    args: importing(p12('truncated.p12')),
    exitCode: badInput,
    says: /truncated\.p12 is truncated \(600 of \d+ bytes\)/,
  },
  'pfx import: a flipped MAC byte': {
    args: importing(p12('bad-mac.p12')),
    exitCode: badInput,
    says: /wrong passphrase for .*bad-mac\.p12 \(the MAC does not verify\)/,
  },
  'pfx import: wrong passphrase': {
    args: (out) => [
      'pfx',
      'import',
      p12('good.p12'),
      '--passin',
      'pass:wrong-pass',
      '--out-key',
      `${out}.key`,
      '--out-cert',
      out,
    ],
    exitCode: badInput,
    says: /wrong passphrase for .*good\.p12 \(the MAC does not verify\)/,
  },
  'pfx import: unknown MAC algorithm': {
    args: importing(p12('unknown-mac.p12')),
    exitCode: badInput,
    says: /the MAC: unknown algorithm 2\.16\.840\.1\.101\.3\.4\.2\.127/,
  },
  'pfx import: unknown encryption algorithm': {
    args: importing(p12('unknown-cipher.p12')),
    exitCode: badInput,
    says: /unknown algorithm 2\.16\.840\.1\.101\.3\.4\.1\.43/,
  },
  'pfx import: not a PKCS#12 file (random bytes)': {
    args: importing(corpus('garbage.bin')),
    exitCode: badInput,
    says: /garbage\.bin is not a PKCS#12 file/,
  },
  'pfx import: not a PKCS#12 file (a PEM certificate)': {
    args: importing(corpus('good-ca.cert.pem')),
    exitCode: badInput,
    says: /good-ca\.cert\.pem is PEM text, not a PKCS#12 file/,
  },
  'pfx import: empty file': {
    args: importing(corpus('empty.pem')),
    exitCode: badInput,
    says: /empty\.pem is empty/,
  },
  'pfx import: missing file': {
    args: importing('no-such.p12'),
    exitCode: badInput,
    says: /no-such\.p12: no such file/,
  },
  // pfx import: usage
  'pfx import: no passphrase and no terminal': {
    args: (out) => ['pfx', 'import', p12('good.p12'), '--out-key', `${out}.key`, '--out-cert', out],
    exitCode: usage,
    says: /standard input is not a terminal \(give it with --passin/,
  },
  'pfx import: key output in a missing folder': {
    args: (out) => [
      'pfx',
      'import',
      p12('good.p12'),
      '--passin',
      RIGHT,
      '--out-key',
      join(out, 'no', 'k.pem'),
      '--out-cert',
      out,
    ],
    exitCode: badInput,
    says: /does not exist/,
  },
  'pfx import: --passout without --out-key': {
    args: (out) => [
      'pfx',
      'import',
      p12('good.p12'),
      '--passin',
      RIGHT,
      '--passout',
      'pass:new-secret',
      '--out-cert',
      out,
    ],
    exitCode: usage,
    says: /--out-key/,
  },
  'pfx import: a keystore of two keys without --name': {
    args: (out) => [
      'pfx',
      'import',
      fixture('keytool.two-keys.p12'),
      '--passin',
      'pass:fixture-pass',
      '--out-key',
      `${out}.key`,
      '--out-cert',
      out,
    ],
    exitCode: usage,
    says: /holds 2 private keys \(choose one with --name \("first", "second"\)\)/,
  },
  'pfx import: --out-key for a file without a key': {
    args: (out) => [
      'pfx',
      'import',
      fixture('openssl.certificates-only.p12'),
      '--passin',
      'pass:fixture-pass',
      '--out-key',
      `${out}.key`,
      '--out-cert',
      out,
    ],
    exitCode: badInput,
    says: /holds no private key/,
  },
  // pfx export
  'pfx export: key not matching the certificate': {
    args: (out) => [
      'pfx',
      'export',
      '--key',
      corpus('other.key.pem'),
      '--cert',
      corpus('good-ca.cert.pem'),
      '--passout',
      RIGHT,
      '--out',
      out,
    ],
    exitCode: badInput,
    says: /other\.key\.pem does not match .*good-ca\.cert\.pem/,
  },
  'pfx export: a key where the certificate should be': {
    args: (out) => [
      'pfx',
      'export',
      '--key',
      corpus('good.key.pem'),
      '--cert',
      corpus('good.key.pem'),
      '--passout',
      RIGHT,
      '--out',
      out,
    ],
    exitCode: badInput,
    says: /good\.key\.pem holds no certificate/,
  },
  'pfx export: encrypted key without --passin': {
    args: (out) => [
      'pfx',
      'export',
      '--key',
      corpus('encrypted.key.pem'),
      '--cert',
      corpus('good-ca.cert.pem'),
      '--passout',
      RIGHT,
      '--out',
      out,
    ],
    exitCode: usage,
    says: /passphrase for .*encrypted\.key\.pem is needed.*--passin/,
  },
  'pfx export: encrypted key, wrong --passin': {
    args: (out) => [
      'pfx',
      'export',
      '--key',
      corpus('encrypted.key.pem'),
      '--passin',
      'pass:wrong-pass',
      '--cert',
      corpus('good-ca.cert.pem'),
      '--passout',
      RIGHT,
      '--out',
      out,
    ],
    exitCode: badInput,
    says: /wrong passphrase for .*encrypted\.key\.pem/,
  },
  'pfx export: no passphrase and no terminal': {
    args: exporting(),
    exitCode: usage,
    says: /standard input is not a terminal \(give it with --passout/,
  },
  'pfx export: passphrase too short': {
    args: exporting('--passout', 'pass:abc'),
    exitCode: badInput,
    says: /too short/,
  },
  'pfx export: --no-password without --insecure': {
    args: exporting('--no-password'),
    exitCode: refused,
    says: /can read the private key \(add --insecure/,
  },
  'pfx export: --insecure alone': {
    args: exporting('--passout', RIGHT, '--insecure'),
    exitCode: usage,
    says: /no-password/,
  },
  'pfx export: --no-password with --passout': {
    args: exporting('--passout', RIGHT, '--no-password', '--insecure'),
    exitCode: usage,
    says: /--passout|--no-password/,
  },
  'pfx export: --cert-cipher without --legacy': {
    args: exporting('--passout', RIGHT, '--cert-cipher', '3des'),
    exitCode: usage,
    says: /legacy/,
  },
  'pfx export: out in a missing folder': {
    args: (out) => exporting('--passout', RIGHT)(join(out, 'no', 'x.p12')),
    exitCode: badInput,
    says: /does not exist/,
  },
};

testBadInputs(cases);
