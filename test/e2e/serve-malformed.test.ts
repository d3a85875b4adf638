/**
 * `tlskit serve` against the malformed-input corpus (fixtures/malformed/): every bad file is
 * refused before the server listens, with its exit code, one stderr line naming it, no stack
 * trace and no file written.
 */
import { ExitCode } from '../../src/errors.js';
import { corpus, testBadInputs, type BadInput } from '../helpers/malformed.js';

const { badInput, usage } = ExitCode;
const goodKey = corpus('good.key.pem');
const goodCert = corpus('good-ca.cert.pem');

/** `serve --port 0` with the given flags; the good pair unless the case replaces it. */
const serve =
  (...flags: string[]) =>
  (): string[] => {
    const identity = flags.some((flag) => ['--key', '--pfx'].includes(flag))
      ? []
      : ['--key', goodKey, '--cert', goodCert];
    return ['serve', '--port', '0', ...identity, ...flags];
  };

const cases: Record<string, BadInput> = {
  'serve: key file is garbage': {
    args: serve('--key', corpus('garbage.bin'), '--cert', goodCert),
    exitCode: badInput,
    says: /garbage\.bin is not DER/,
  },
  'serve: key file holds a certificate': {
    args: serve('--key', corpus('cert-as-key.pem'), '--cert', goodCert),
    exitCode: badInput,
    says: /cert-as-key\.pem holds CERTIFICATE, not a private key/,
  },
  'serve: key file is truncated': {
    args: serve('--key', corpus('truncated-key.pem'), '--cert', goodCert),
    exitCode: badInput,
    says: /truncated-key\.pem: PEM block PRIVATE KEY is truncated/,
  },
  'serve: encrypted key without a passphrase or a terminal': {
    args: serve('--key', corpus('encrypted.key.pem'), '--cert', goodCert),
    exitCode: usage,
    says: /encrypted\.key\.pem .*--passin/,
  },
  'serve: encrypted key with the wrong passphrase': {
    args: serve('--key', corpus('encrypted.key.pem'), '--passin', 'pass:wrong', '--cert', goodCert),
    exitCode: badInput,
    says: /wrong passphrase for .*encrypted\.key\.pem/,
  },
  'serve: key of another certificate': {
    args: serve('--key', corpus('other.key.pem'), '--cert', goodCert),
    exitCode: badInput,
    says: /other\.key\.pem does not match .*good-ca\.cert\.pem/,
  },
  'serve: certificate file is garbage': {
    args: serve('--key', goodKey, '--cert', corpus('garbage.bin')),
    exitCode: badInput,
    says: /garbage\.bin is neither PEM nor DER/,
  },
  'serve: certificate file is truncated DER': {
    args: serve('--key', goodKey, '--cert', corpus('truncated-cert.der')),
    exitCode: badInput,
    says: /truncated-cert\.der is truncated: its DER says \d+ bytes, the file has \d+/,
  },
  'serve: certificate file is empty': {
    args: serve('--key', goodKey, '--cert', corpus('empty.pem')),
    exitCode: badInput,
    says: /empty\.pem is empty/,
  },
  'serve: certificate PEM with a mismatched END': {
    args: serve('--key', goodKey, '--cert', corpus('mismatched-end.pem')),
    exitCode: badInput,
    says: /mismatched-end\.pem: PEM block BEGIN PRIVATE KEY ends with END CERTIFICATE/,
  },
  'serve: --ca holds no certificate': {
    args: serve('--ca', corpus('key-as-csr.pem')),
    exitCode: badInput,
    says: /key-as-csr\.pem holds no certificate/,
  },
  'serve: --crl holds no CRL': {
    args: serve('--crl', goodKey),
    exitCode: badInput,
    says: /good\.key\.pem holds no CRL/,
  },
  'serve: --dhparam holds no DH parameters': {
    args: serve('--dhparam', goodKey),
    exitCode: badInput,
    says: /good\.key\.pem holds no DH PARAMETERS block/,
  },
  'serve: --ocsp-response is not DER': {
    args: serve('--ocsp-response', goodKey),
    exitCode: badInput,
    says: /good\.key\.pem is not a DER OCSP response/,
  },
  'serve: --ticket-keys of the wrong size': {
    args: serve('--ticket-keys', corpus('garbage.bin')),
    exitCode: badInput,
    says: /garbage\.bin holds \d+ bytes; ticket keys are exactly 48/,
  },
  'serve: --pfx is garbage': {
    args: serve('--pfx', corpus('garbage.bin')),
    exitCode: badInput,
    says: /garbage\.bin cannot be loaded/,
  },
  'serve: --sni certificate is garbage': {
    args: serve('--sni', `api.test=${corpus('garbage.bin')},${goodKey}`),
    exitCode: badInput,
    says: /garbage\.bin is neither PEM nor DER/,
  },
  'serve: --keylog in a missing folder': {
    args: (_out, dir) => [...serve()(), '--keylog', `${dir}/missing/keys.log`],
    exitCode: badInput,
    says: /the folder of the key log .*missing\/keys\.log does not exist/,
  },
};

testBadInputs(cases);
