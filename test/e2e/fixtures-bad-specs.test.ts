/**
 * `tlskit fixtures` against the bad-spec corpus (fixtures/malformed/fixtures/): exit 3, one line
 * naming the file, the node and the field, no stack, and nothing written.
 */
import { ExitCode } from '../../src/errors.js';
import { corpus, testBadInputs, type BadInput } from '../helpers/malformed.js';

const spec = (name: string, says: RegExp): BadInput => ({
  args: (_out, dir) => ['fixtures', corpus(`fixtures/${name}`), '--out', dir],
  exitCode: ExitCode.badInput,
  says,
});

testBadInputs({
  'fixtures: unknown node field': spec(
    'unknown-field.yaml',
    /unknown-field\.yaml: nodes\.server\.sanz: unknown field/,
  ),
  'fixtures: unknown top-level field': spec(
    'unknown-top-level.yaml',
    /unknown-top-level\.yaml: sede: unknown field/,
  ),
  'fixtures: issuer cycle': spec(
    'cycle.yaml',
    /cycle\.yaml: nodes\.a\.issuer: issuer cycle a → b → a/,
  ),
  'fixtures: missing issuer': spec(
    'missing-issuer.yaml',
    /nodes\.server\.issuer: "rooot" is not a node/,
  ),
  'fixtures: impossible validity': spec(
    'impossible-validity.yaml',
    /nodes\.server\.notAfter: notAfter .* is not after notBefore/,
  ),
  'fixtures: a time that is not one': spec(
    'bad-time.yaml',
    /nodes\.server\.notAfter: "next year" is not a date, time or duration/,
  ),
  'fixtures: bad YAML': spec('bad-syntax.yaml', /bad-syntax\.yaml: line \d+, column \d+: /),
  'fixtures: duplicate node': spec(
    'duplicate-key.yaml',
    /duplicate-key\.yaml: line 3, column 3: duplicated mapping key/,
  ),
  'fixtures: weak key without allowWeak': spec(
    'weak-key.yaml',
    /nodes\.server\.key: 1024-bit RSA keys are weak/,
  ),
  'fixtures: unknown verify result': spec(
    'bad-expect.yaml',
    /nodes\.server\.expect: "CERT_IS_BAD" is not an OpenSSL verify result/,
  ),
  'fixtures: truncated JSON': spec('truncated.json', /truncated\.json: not valid JSON/),
  'fixtures: a spec that does not exist': {
    args: (_out, dir) => ['fixtures', corpus('fixtures/none.yaml'), '--out', dir],
    exitCode: ExitCode.badInput,
    says: /none\.yaml: no such file/,
  },
  'fixtures: spec and preset': {
    args: (_out, dir) => [
      'fixtures',
      corpus('fixtures/cycle.yaml'),
      '--preset',
      'badssl',
      '--out',
      dir,
    ],
    exitCode: ExitCode.usage,
    says: /a spec file or --preset, not both/,
  },
  'fixtures: check and renew': {
    args: (_out, dir) => ['fixtures', '--preset', 'standard', '--check', '--renew', '--out', dir],
    exitCode: ExitCode.usage,
    says: /--renew/,
  },
});
