/**
 * Every command against the malformed-input corpus (fixtures/malformed/): each bad input gets a
 * non-zero exit code, exactly one stderr line naming the problem, no stack trace, and no file.
 */
import test from 'ava';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { runTlskit } from '../helpers/index.js';
import { corpus, testBadInputs, type BadInput } from '../helpers/malformed.js';

const good = {
  key: corpus('good.key.pem'),
  csr: corpus('good.csr.pem'),
  ca: corpus('good-ca.cert.pem'),
};

const { badInput, usage, refused } = ExitCode;

const cases: Record<string, BadInput> = {
  // keygen
  'keygen: weak RSA size': {
    args: (o) => ['keygen', '--bits', '1024', '--out', o],
    exitCode: refused,
    says: /below 2048/,
  },
  'keygen: odd RSA size': {
    args: (o) => ['keygen', '--bits', '1001', '--out', o],
    exitCode: usage,
    says: /--bits 1001/,
  },
  'keygen: unknown type': {
    args: (o) => ['keygen', '--type', 'dsa', '--out', o],
    exitCode: usage,
    says: /dsa/,
  },
  'keygen: out in a missing folder': {
    args: (o) => ['keygen', '--type', 'ec', '--out', join(o, 'no', 'k.pem')],
    exitCode: badInput,
    says: /does not exist/,
  },
  'keygen: out is a folder': {
    args: (_o, d) => ['keygen', '--type', 'ec', '--out', d],
    exitCode: badInput,
    says: /is a folder/,
  },
  'keygen: passphrase too short': {
    args: (o) => ['keygen', '--type', 'ec', '--passout', 'pass:abc', '--out', o],
    exitCode: badInput,
    says: /too short/,
  },
  'keygen: bad passphrase spec': {
    args: (o) => ['keygen', '--type', 'ec', '--passout', 'secret', '--out', o],
    exitCode: usage,
    says: /passphrase source/,
  },
  'keygen: encrypt without a terminal': {
    args: (o) => ['keygen', '--type', 'ec', '--encrypt', '--out', o],
    exitCode: usage,
    says: /--passout/,
  },
  // csr: bad keys
  ...keyCases('csr', (key, o) => ['csr', '--key', key, '--subject', '/CN=x', '--out', o]),
  'csr: unknown subject attribute': {
    args: (o) => ['csr', '--key', good.key, '--subject', '/XX=foo', '--out', o],
    exitCode: badInput,
    says: /XX/,
  },
  'csr: empty subject value': {
    args: (o) => ['csr', '--key', good.key, '--subject', '/CN=', '--out', o],
    exitCode: badInput,
    says: /CN/,
  },
  'csr: country not two letters': {
    args: (o) => ['csr', '--key', good.key, '--subject', '/C=UKK/CN=x', '--out', o],
    exitCode: badInput,
    says: /UKK|C/,
  },
  'csr: attribute without =': {
    args: (o) => ['csr', '--key', good.key, '--subject', '/CN', '--out', o],
    exitCode: badInput,
    says: /=/,
  },
  'csr: DNS name with a space': {
    args: (o) => [
      'csr',
      '--key',
      good.key,
      '--subject',
      '/CN=x',
      '--san',
      'DNS:exa mple.com',
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /exa mple\.com/,
  },
  'csr: bad IP address': {
    args: (o) => [
      'csr',
      '--key',
      good.key,
      '--subject',
      '/CN=x',
      '--san',
      'IP:999.1.1.1',
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /999\.1\.1\.1/,
  },
  'csr: bad email': {
    args: (o) => [
      'csr',
      '--key',
      good.key,
      '--subject',
      '/CN=x',
      '--san',
      'email:nobody',
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /nobody/,
  },
  'csr: relative URI': {
    args: (o) => [
      'csr',
      '--key',
      good.key,
      '--subject',
      '/CN=x',
      '--san',
      'URI:not a uri',
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /not a uri/,
  },
  'csr: wildcard not leftmost': {
    args: (o) => [
      'csr',
      '--key',
      good.key,
      '--subject',
      '/CN=x',
      '--san',
      'DNS:a.*.example.com',
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /a\.\*\.example\.com/,
  },
  'csr: no subject and no terminal': {
    args: (o) => ['csr', '--key', good.key, '--out', o],
    exitCode: usage,
    says: /terminal/,
  },
  // sign: bad CSRs, keys and options
  'sign: garbage CSR': {
    args: (o) => ['sign', '--csr', corpus('garbage.bin'), '--self-key', good.key, '--out', o],
    exitCode: badInput,
    says: /garbage\.bin/,
  },
  'sign: truncated CSR': {
    args: (o) => ['sign', '--csr', corpus('truncated-csr.pem'), '--self-key', good.key, '--out', o],
    exitCode: badInput,
    says: /truncated-csr\.pem/,
  },
  'sign: a key given as CSR': {
    args: (o) => ['sign', '--csr', corpus('key-as-csr.pem'), '--self-key', good.key, '--out', o],
    exitCode: badInput,
    says: /key-as-csr\.pem/,
  },
  'sign: CSR signature does not verify': {
    args: (o) => [
      'sign',
      '--csr',
      corpus('bad-signature.csr.der'),
      '--self-key',
      good.key,
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /signature/,
  },
  "sign: key doesn't match the CSR": {
    args: (o) => ['sign', '--csr', good.csr, '--self-key', corpus('other.key.pem'), '--out', o],
    exitCode: badInput,
    says: /does not match/,
  },
  "sign: CA key doesn't match the CA certificate": {
    args: (o) => [
      'sign',
      '--csr',
      good.csr,
      '--ca-cert',
      good.ca,
      '--ca-key',
      corpus('other.key.pem'),
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /does not match/,
  },
  'sign: CSR is a folder': {
    args: (o, d) => ['sign', '--csr', d, '--self-key', good.key, '--out', o],
    exitCode: badInput,
    says: /is a folder/,
  },
  'sign: CSR is missing': {
    args: (o) => ['sign', '--csr', corpus('nope.csr'), '--self-key', good.key, '--out', o],
    exitCode: badInput,
    says: /no such file/,
  },
  'sign: bad time': {
    args: (o) => [
      'sign',
      '--csr',
      good.csr,
      '--self-key',
      good.key,
      '--not-after',
      'next tuesday',
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /next tuesday/,
  },
  'sign: bad serial': {
    args: (o) => ['sign', '--csr', good.csr, '--self-key', good.key, '--serial', 'zz', '--out', o],
    exitCode: badInput,
    says: /zz/,
  },
  'sign: unknown profile': {
    args: (o) => [
      'sign',
      '--csr',
      good.csr,
      '--self-key',
      good.key,
      '--profile',
      'nonesuch',
      '--out',
      o,
    ],
    exitCode: badInput,
    says: /nonesuch/,
  },
  ...keyCases('sign', (key, o) => ['sign', '--csr', good.csr, '--self-key', key, '--out', o]),
  // inspect
  'inspect: garbage': {
    args: () => ['inspect', corpus('garbage.bin')],
    exitCode: badInput,
    says: /garbage\.bin/,
  },
  'inspect: empty file': {
    args: () => ['inspect', corpus('empty.pem')],
    exitCode: badInput,
    says: /empty/,
  },
  'inspect: truncated DER certificate': {
    args: () => ['inspect', corpus('truncated-cert.der')],
    exitCode: badInput,
    says: /truncated-cert\.der/,
  },
  'inspect: truncated PEM': {
    args: () => ['inspect', corpus('truncated-key.pem')],
    exitCode: badInput,
    says: /truncated/,
  },
  'inspect: bad base64': {
    args: () => ['inspect', corpus('bad-base64.pem')],
    exitCode: badInput,
    says: /base64/,
  },
  'inspect: mismatched END': {
    args: () => ['inspect', corpus('mismatched-end.pem')],
    exitCode: badInput,
    says: /END/,
  },
  'inspect: wrong passphrase': {
    args: () => ['inspect', corpus('encrypted.key.pem'), '--passin', 'pass:wrong'],
    exitCode: badInput,
    says: /wrong passphrase/,
  },
  'inspect: a folder': { args: (_o, d) => ['inspect', d], exitCode: badInput, says: /is a folder/ },
  'inspect: missing file': {
    args: () => ['inspect', corpus('nope.pem')],
    exitCode: badInput,
    says: /no such file/,
  },
};

/** The same bad private keys, for every command that reads one. */
function keyCases(
  command: string,
  args: (key: string, out: string) => string[],
): Record<string, BadInput> {
  const bad = (
    file: string,
    says: RegExp,
    exitCode: number = badInput,
    extra: string[] = [],
  ): BadInput => ({
    args: (o) => [...args(corpus(file), o), ...extra],
    exitCode,
    says,
  });
  return {
    [`${command}: garbage key`]: bad('garbage.bin', /garbage\.bin/),
    [`${command}: empty key`]: bad('empty.pem', /empty/),
    [`${command}: truncated key`]: bad('truncated-key.pem', /truncated/),
    [`${command}: certificate as key`]: bad('cert-as-key.pem', /not a private key/),
    [`${command}: key with bad base64`]: bad('bad-base64.pem', /base64/),
    [`${command}: key with mismatched END`]: bad('mismatched-end.pem', /END/),
    [`${command}: wrong passphrase`]: bad('encrypted.key.pem', /wrong passphrase/, badInput, [
      '--passin',
      'pass:wrong',
    ]),
    [`${command}: encrypted key, no passphrase, no terminal`]: bad(
      'encrypted.key.pem',
      /--passin/,
      usage,
    ),
    [`${command}: key is missing`]: bad('nope.key.pem', /no such file/),
  };
}

testBadInputs(cases);

test('--json turns an error into a JSON object on stdout, still with the exit code', async (t) => {
  const result = await runTlskit(['inspect', corpus('garbage.bin'), '--json']);
  t.is(result.code, badInput);
  const parsed = JSON.parse(result.stdout) as { error: { code: string; message: string } };
  t.is(parsed.error.code, 'BAD_INPUT');
  t.regex(parsed.error.message, /garbage\.bin/);
});

test('--debug shows the cause chain and stack', async (t) => {
  const result = await runTlskit(['inspect', corpus('garbage.bin'), '--debug']);
  t.is(result.code, badInput);
  t.regex(result.stderr, /\n\s+at /);
});
