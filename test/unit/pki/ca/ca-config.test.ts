import test from 'ava';
import { InputError } from '../../../../src/errors.js';
import { formatCaConfig, parseCaConfig, type CaConfig } from '../../../../src/pki/ca/ca-config.js';
import { parseNameConstraint } from '../../../../src/pki/ca/name-constraints.js';

const config: CaConfig = {
  version: 1,
  files: { certificate: 'ca.cert.pem', key: 'ca.key.pem', chain: 'chain.pem' },
  defaults: { profile: 'server', days: 90, crlDays: 7 },
  crlUrls: ['http://ca.example.test/crl.der'],
  ocspUrls: ['http://ocsp.example.test/'],
  nameConstraints: {
    permitted: [parseNameConstraint('DNS:.example.test')],
    excluded: [parseNameConstraint('IP:10.0.0.0/8')],
  },
};

test('the config reads back what it writes', (t) => {
  const text = formatCaConfig(config);
  t.true(text.endsWith('}\n'));
  t.deepEqual(parseCaConfig(text, 'tlskit-ca.json'), config);
  t.regex(text, /"permitted": \[\n\s+"DNS:\.example\.test"/);
});

test('days is optional', (t) => {
  const { days: _days, ...defaults } = config.defaults;
  const parsed = parseCaConfig(formatCaConfig({ ...config, defaults }), 'tlskit-ca.json');
  t.is(parsed.defaults.days, undefined);
});

/** The config's JSON with one change, as text. */
function edited(change: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(formatCaConfig(config)) as Record<string, unknown>;
  change(json);
  return JSON.stringify(json);
}

const BROKEN: Array<[string, string, RegExp]> = [
  ['not JSON', '{"version": 1,', /ca\/tlskit-ca\.json: not valid JSON/],
  ['not an object', '[]', /: \/: \[\] is not an object/],
  ['another version', edited((j) => (j.version = 2)), /\/version: 2 is not 1/],
  ['unknown field', edited((j) => (j.colour = 'blue')), /\/colour: unknown field/],
  ['missing files', edited((j) => delete j.files), /\/files: is missing/],
  [
    'key outside the folder',
    edited((j) => ((j.files as Record<string, unknown>).key = '../other/ca.key.pem')),
    /\/files\/key: "\.\.\/other\/ca\.key\.pem" is not a plain file name/,
  ],
  [
    'crlDays zero',
    edited((j) => ((j.defaults as Record<string, unknown>).crlDays = 0)),
    /\/defaults\/crlDays: 0 is not a whole number/,
  ],
  ['bad URL', edited((j) => (j.crlUrls = ['not a url'])), /\/crlUrls\/0: the URL "not a url"/],
  [
    'bad constraint',
    edited((j) => ((j.nameConstraints as Record<string, unknown>).permitted = ['example.test'])),
    /\/nameConstraints\/permitted\/0: the constraint "example\.test"/,
  ],
];

for (const [title, text, message] of BROKEN) {
  test(`a broken config is an input error naming the field: ${title}`, (t) => {
    const error = t.throws(() => parseCaConfig(text, 'ca/tlskit-ca.json'), {
      instanceOf: InputError,
    });
    t.regex(error?.message ?? '', /^ca\/tlskit-ca\.json: /);
    t.regex(error?.message ?? '', message);
  });
}
