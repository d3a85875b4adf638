import { InputError, UsageError } from '../errors.js';

/**
 * When no start is given, notBefore is backdated by a minute (as step does; openssl uses exactly
 * now) so a peer whose clock runs slightly behind ours does not see a not-yet-valid certificate.
 */
export const CLOCK_SKEW_BACKDATE_MS = 60_000;

export interface ValidityRequest {
  /** Lifetime in whole days, counted from notBefore (or from now when notBefore is not given). */
  days?: number;
  /** A time spec (see parseTimeSpec) or a date. */
  notBefore?: string | Date;
  notAfter?: string | Date;
}

export interface ValidityPeriod {
  notBefore: Date;
  notAfter: Date;
}

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DAY_MS = MS_PER_UNIT.d as number;
/** UTCTime cannot say a year before 1950; GeneralizedTime ends with 9999 (RFC 5280 §4.1.2.5). */
const FIRST_YEAR = 1950;
const LAST_YEAR = 9999;
const MAX_DAYS = 36_500;

/**
 * A point in time from the command line:
 * - ISO 8601 date `2026-01-01` (midnight UTC) or date-time with a zone `2026-01-01T08:00:00Z`,
 *   `2026-01-01T09:00+01:00`;
 * - openssl's GeneralizedTime `20260101000000Z` or UTCTime `260101000000Z`;
 * - a duration from `now`, optionally signed, in s, m, h, d or w, combinable: `-1d`, `+30d`,
 *   `12h`, `1w2d`, `90m`. No months or years: their length varies, so say `365d`.
 */
export function parseTimeSpec(text: string, now: Date, field = 'time'): Date {
  const spec = text.trim();
  const date = parseDuration(spec, now) ?? parseOpensslTime(spec) ?? parseIsoTime(spec, field);
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new InputError(`${field}: "${text}" is not a date, time or duration`, {
      hint: 'use 2026-01-01, 2026-01-01T00:00:00Z, 20260101000000Z, or a duration like -1d, +30d, 12h',
    });
  }
  return date;
}

/**
 * The certificate's validity: notBefore defaults to now minus CLOCK_SKEW_BACKDATE_MS; notAfter
 * defaults to (the given notBefore, else now) plus `days`, else plus `defaultDays`. Both are cut
 * to whole seconds, as DER times hold no fractions, so what we report is what is encoded.
 */
export function resolveValidity(
  request: ValidityRequest,
  now: Date,
  defaultDays: number,
): ValidityPeriod {
  if (request.days !== undefined && request.notAfter !== undefined) {
    throw new UsageError('--days and --not-after both set the end of validity', {
      hint: 'give one of them',
    });
  }
  const days = request.days ?? defaultDays;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new InputError(`--days ${days} is not a whole number of days from 1 to ${MAX_DAYS}`);
  }
  const explicitStart = timeOf(request.notBefore, now, '--not-before');
  const notBefore = wholeSeconds(explicitStart ?? new Date(now.getTime() - CLOCK_SKEW_BACKDATE_MS));
  const end =
    timeOf(request.notAfter, now, '--not-after') ??
    new Date((explicitStart ?? now).getTime() + days * DAY_MS);
  const notAfter = wholeSeconds(end);
  checkEncodable(notBefore, '--not-before');
  checkEncodable(notAfter, '--not-after');
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new InputError(
      `notAfter ${notAfter.toISOString()} is not after notBefore ${notBefore.toISOString()}`,
      { hint: 'check --not-before, --not-after and --days' },
    );
  }
  return { notBefore, notAfter };
}

function timeOf(value: string | Date | undefined, now: Date, field: string): Date | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? parseTimeSpec(value, now, field) : value;
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function checkEncodable(date: Date, field: string): void {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new InputError(`${field}: ${year} is outside the years a certificate can hold`, {
      hint: `use a date from ${FIRST_YEAR} to ${LAST_YEAR}`,
    });
  }
}

function parseDuration(spec: string, now: Date): Date | undefined {
  const match = /^([+-]?)((?:\d+[smhdw])+)$/.exec(spec);
  if (!match) return undefined;
  let total = 0;
  for (const [, amount, unit] of (match[2] as string).matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * (MS_PER_UNIT[unit as string] as number);
  }
  return new Date(now.getTime() + (match[1] === '-' ? -total : total));
}

/** `YYYYMMDDHHMMSSZ` (GeneralizedTime) or `YYMMDDHHMMSSZ` (UTCTime: 50–99 → 19xx). */
function parseOpensslTime(spec: string): Date | undefined {
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(spec);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = timeFieldsOf(match);
  const fullYear = (match[1] as string).length === 2 ? year + (year >= 50 ? 1900 : 2000) : year;
  return exactUtc(fullYear, month, day, hour, minute, second);
}

function parseIsoTime(spec: string, field: string): Date | undefined {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(spec);
  if (dateOnly) {
    const [year, month, day] = dateOnly.slice(1).map(Number) as [number, number, number];
    return exactUtc(year, month, day, 0, 0, 0);
  }
  const dateTime =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(
      spec,
    );
  if (!dateTime) return undefined;
  if (dateTime[7] === undefined) {
    throw new InputError(`${field}: "${spec}" has no time zone`, {
      hint: 'add Z for UTC (2026-01-01T00:00:00Z) or an offset (+01:00)',
    });
  }
  const [year, month, day, hour, minute, second] = timeFieldsOf(dateTime);
  // Check the fields against the calendar first: Date.parse would roll 2026-02-30 into March.
  if (!exactUtc(year, month, day, hour, minute, second)) return undefined;
  return new Date(spec);
}

type TimeFields = [number, number, number, number, number, number];

/** Year, month, day, hour, minute, second from regex groups 1–6 (a missing group is 0). */
function timeFieldsOf(match: RegExpExecArray): TimeFields {
  return [1, 2, 3, 4, 5, 6].map((group) => Number(match[group] ?? 0)) as TimeFields;
}

/** A UTC date only if every field is in range (no rolling over to the next month). */
function exactUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return exact ? date : undefined;
}
