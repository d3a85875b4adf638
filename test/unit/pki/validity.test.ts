import test from 'ava';
import { InputError, UsageError } from '../../../src/errors.js';
import {
  CLOCK_SKEW_BACKDATE_MS,
  parseTimeSpec,
  resolveValidity,
} from '../../../src/pki/validity.js';

const now = new Date('2026-06-15T12:00:00.000Z');

const valid: Array<[string, string]> = [
  ['2026-01-01', '2026-01-01T00:00:00.000Z'],
  ['2026-01-01T08:30:00Z', '2026-01-01T08:30:00.000Z'],
  ['2026-01-01T08:30Z', '2026-01-01T08:30:00.000Z'],
  ['2026-01-01T09:30:00+01:00', '2026-01-01T08:30:00.000Z'],
  ['2026-01-01T08:30:00.250Z', '2026-01-01T08:30:00.250Z'],
  ['20260101083000Z', '2026-01-01T08:30:00.000Z'],
  ['260101083000Z', '2026-01-01T08:30:00.000Z'],
  ['991231235959Z', '1999-12-31T23:59:59.000Z'],
  ['20500101000000Z', '2050-01-01T00:00:00.000Z'],
  ['-1d', '2026-06-14T12:00:00.000Z'],
  ['+30d', '2026-07-15T12:00:00.000Z'],
  ['30d', '2026-07-15T12:00:00.000Z'],
  ['12h', '2026-06-16T00:00:00.000Z'],
  ['90m', '2026-06-15T13:30:00.000Z'],
  ['45s', '2026-06-15T12:00:45.000Z'],
  ['1w2d', '2026-06-24T12:00:00.000Z'],
  ['-1d12h', '2026-06-14T00:00:00.000Z'],
  [' +1h ', '2026-06-15T13:00:00.000Z'],
];

for (const [spec, expected] of valid) {
  test(`time spec "${spec}" is ${expected}`, (t) => {
    t.is(parseTimeSpec(spec, now).toISOString(), expected);
  });
}

const invalid: Array<[string, RegExp]> = [
  ['next tuesday', /"next tuesday" is not a date, time or duration/],
  ['', /"" is not a date/],
  ['1y', /"1y" is not a date/],
  ['-d', /"-d" is not a date/],
  ['2026-02-30', /"2026-02-30" is not a date/],
  ['20261301000000Z', /"20261301000000Z" is not a date/],
  ['2026-01-01T25:00:00Z', /is not a date/],
  ['2026-01-01T00:00:00', /"2026-01-01T00:00:00" has no time zone/],
];

for (const [spec, message] of invalid) {
  test(`time spec "${spec}" is refused`, (t) => {
    t.throws(() => parseTimeSpec(spec, now, '--not-after'), { instanceOf: InputError, message });
  });
}

test('errors name the field', (t) => {
  t.throws(() => parseTimeSpec('soon', now, '--not-before'), {
    message: '--not-before: "soon" is not a date, time or duration',
  });
});

test('by default notBefore is backdated a minute and notAfter is now plus the days', (t) => {
  const { notBefore, notAfter } = resolveValidity({}, now, 365);
  t.is(notBefore.getTime(), now.getTime() - CLOCK_SKEW_BACKDATE_MS);
  t.is(notBefore.toISOString(), '2026-06-15T11:59:00.000Z');
  t.is(notAfter.toISOString(), '2027-06-15T12:00:00.000Z');
});

test('--days overrides the default lifetime', (t) => {
  t.is(resolveValidity({ days: 30 }, now, 365).notAfter.toISOString(), '2026-07-15T12:00:00.000Z');
});

test('an explicit notBefore is used as given, and days count from it', (t) => {
  const validity = resolveValidity({ notBefore: '2026-01-01', days: 10 }, now, 365);
  t.is(validity.notBefore.toISOString(), '2026-01-01T00:00:00.000Z');
  t.is(validity.notAfter.toISOString(), '2026-01-11T00:00:00.000Z');
});

test('relative notBefore and notAfter count from now (an expired certificate)', (t) => {
  const validity = resolveValidity({ notBefore: '-10d', notAfter: '-1d' }, now, 365);
  t.is(validity.notBefore.toISOString(), '2026-06-05T12:00:00.000Z');
  t.is(validity.notAfter.toISOString(), '2026-06-14T12:00:00.000Z');
});

test('dates are cut to whole seconds, as DER holds them', (t) => {
  const validity = resolveValidity({}, new Date('2026-06-15T12:00:00.789Z'), 1);
  t.is(validity.notBefore.toISOString(), '2026-06-15T11:59:00.000Z');
  t.is(validity.notAfter.toISOString(), '2026-06-16T12:00:00.000Z');
});

test('Date values pass through', (t) => {
  const notAfter = new Date('2060-01-01T00:00:00Z');
  t.is(resolveValidity({ notAfter }, now, 365).notAfter.getTime(), notAfter.getTime());
});

test('notAfter not after notBefore is an input error', (t) => {
  t.throws(() => resolveValidity({ notBefore: '2026-01-02', notAfter: '2026-01-01' }, now, 1), {
    instanceOf: InputError,
    message: /notAfter 2026-01-01T00:00:00.000Z is not after notBefore 2026-01-02T00:00:00.000Z/,
  });
  t.throws(() => resolveValidity({ notBefore: '2026-01-01', notAfter: '2026-01-01' }, now, 1), {
    instanceOf: InputError,
  });
});

test('--days and --not-after together are a usage error', (t) => {
  t.throws(() => resolveValidity({ days: 1, notAfter: '+1d' }, now, 365), {
    instanceOf: UsageError,
  });
});

test('days must be a whole number from 1', (t) => {
  for (const days of [0, -1, 1.5, 40_000]) {
    t.throws(() => resolveValidity({ days }, now, 365), { instanceOf: InputError });
  }
});

test('years a certificate cannot hold are refused', (t) => {
  t.throws(() => resolveValidity({ notBefore: '1949-12-31' }, now, 1), {
    instanceOf: InputError,
    message: /--not-before: 1949/,
  });
  t.throws(() => resolveValidity({ notAfter: '+3000000d' }, now, 1), {
    instanceOf: InputError,
    message: /--not-after: \d+ is outside/,
  });
});
