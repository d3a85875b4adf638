import { InputError } from '../../errors.js';
import type { Name } from '@peculiar/asn1-x509';
import { decodeName } from '../name.js';
import { reasonOfIndexWord, type RevocationReason } from './revocation-reason.js';

/*
 * The state files of `openssl ca`, in its exact formats, so that `openssl ca -config DIR/openssl.cnf`
 * keeps working on a tlskit CA folder:
 * - index.txt: one certificate per line, six tab-separated fields (TXT_DB, DB_NUMBER = 6):
 *   status (V valid, R revoked, E expired), expiry (the certificate's notAfter as its ASN1_TIME
 *   text: YYMMDDHHMMSSZ before 2050, YYYYMMDDHHMMSSZ after), revocation (empty, or the time and
 *   `,reason`), serial (BN_bn2hex: upper-case, an even number of digits), file name (always
 *   "unknown"), subject (X509_NAME_oneline: `/C=UK/O=node.js/CN=a+UID=b`).
 * - serial and crlnumber: one hex number (BN_bn2hex) and a newline.
 * - index.txt.attr: `unique_subject = no`.
 */

export type IndexStatus = 'V' | 'R' | 'E';

export interface IndexRevocation {
  date: Date;
  /** Undefined when the line gives no reason. */
  reason?: RevocationReason;
  /** The text after the date, as written (`CACompromise`, `holdInstruction,1.2.840.10040.2.2`). */
  reasonText?: string;
}

/** One line of index.txt. */
export interface IndexEntry {
  status: IndexStatus;
  expires: Date;
  /** Present exactly when status is R. */
  revocation?: IndexRevocation;
  /** Upper-case hex, even length, as BN_bn2hex writes it (and as newcerts/<serial>.pem is named). */
  serial: string;
  /** openssl always writes "unknown". */
  file: string;
  /** X509_NAME_oneline text; openssl puts the serial here when the subject is empty. */
  subject: string;
}

export const INDEX_ATTRIBUTES_TEXT = 'unique_subject = no\n';

/** Reads index.txt; any malformed line is an InputError naming the file and line. */
export function parseIndex(text: string, source: string): IndexEntry[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const seen = new Set<string>();
  return lines.map((line, index) => {
    const entry = parseIndexLine(line, `${source}: line ${index + 1}`);
    if (seen.has(entry.serial)) {
      throw new InputError(`${source}: line ${index + 1}: serial ${entry.serial} appears twice`, {
        hint: CORRUPT_HINT,
      });
    }
    seen.add(entry.serial);
    return entry;
  });
}

/** index.txt text for the entries (empty text for none, as openssl starts it). */
export function formatIndex(entries: readonly IndexEntry[]): string {
  return entries.map((entry) => `${formatIndexLine(entry)}\n`).join('');
}

export function formatIndexLine(entry: IndexEntry): string {
  const revocation = entry.revocation
    ? formatIndexTime(entry.revocation.date) +
      (entry.revocation.reasonText ? `,${entry.revocation.reasonText}` : '')
    : '';
  return [
    entry.status,
    formatIndexTime(entry.expires),
    revocation,
    entry.serial,
    entry.file,
    entry.subject,
  ].join('\t');
}

/** ASN1_TIME text: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function formatIndexTime(date: Date): string {
  const iso = date.toISOString(); // 2026-11-23T01:51:33.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year <= 2049 ? `${digits.slice(2)}Z` : `${digits}Z`;
}

/** A serial as openssl names it in index.txt, serial files and newcerts/: BN_bn2hex. */
export function formatIndexSerial(value: bigint): string {
  const hex = value.toString(16).toUpperCase();
  return hex.length % 2 ? `0${hex}` : hex;
}

/** The contents of a serial or crlnumber file. */
export function formatSerialFile(value: bigint): string {
  return `${formatIndexSerial(value)}\n`;
}

/** Reads a serial or crlnumber file: one hex number on the first line. */
export function parseSerialFile(text: string, source: string): bigint {
  const hex = text.split('\n', 1)[0]?.trim() ?? '';
  if (!/^[0-9A-Fa-f]+$/.test(hex)) {
    throw new InputError(`${source} does not hold a hexadecimal number`, {
      hint: 'it holds the next number in hex, e.g. 01; restore it from a backup',
    });
  }
  return BigInt(`0x${hex}`);
}

/**
 * X509_NAME_oneline(): `/type=value` per RDN, `+` between the attributes of a multi-valued RDN,
 * and every byte outside printable ASCII as `\xHH`. openssl writes the raw string bytes; this
 * writes the UTF-8 of the decoded value, which is the same for UTF8, Printable and IA5 strings.
 */
export function formatOnelineName(name: Name): string {
  return decodeName(name)
    .map(
      (rdn) =>
        '/' +
        rdn
          .map((attribute) => `${attribute.type}=${escapeOnelineValue(attribute.value)}`)
          .join('+'),
    )
    .join('');
}

// ---------------------------------------------------------------------------------------------

const CORRUPT_HINT =
  "index.txt is the CA's database (OpenSSL's format): restore it from index.txt.old or a backup";

function parseIndexLine(line: string, where: string): IndexEntry {
  const fields = line.split('\t');
  if (fields.length !== 6) {
    throw new InputError(`${where}: expected 6 tab-separated fields, found ${fields.length}`, {
      hint: CORRUPT_HINT,
    });
  }
  const [status, expires, revocation, serial, file, subject] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (status !== 'V' && status !== 'R' && status !== 'E') {
    throw new InputError(`${where}: status "${status}" is not V, R or E`, { hint: CORRUPT_HINT });
  }
  if (!/^[0-9A-Fa-f]+$/.test(serial)) {
    throw new InputError(`${where}: serial "${serial}" is not hexadecimal`, {
      hint: CORRUPT_HINT,
    });
  }
  const entry: IndexEntry = {
    status,
    expires: parseIndexTime(expires, `${where}: expiry`),
    serial: serial.toUpperCase(),
    file,
    subject,
  };
  if (status === 'R') entry.revocation = parseRevocation(revocation, where);
  else if (revocation !== '') {
    throw new InputError(`${where}: a certificate with status ${status} has a revocation date`, {
      hint: CORRUPT_HINT,
    });
  }
  return entry;
}

function parseRevocation(text: string, where: string): IndexRevocation {
  const comma = text.indexOf(',');
  const dateText = comma < 0 ? text : text.slice(0, comma);
  const revocation: IndexRevocation = {
    date: parseIndexTime(dateText, `${where}: revocation date`),
  };
  if (comma < 0) return revocation;
  const reasonText = text.slice(comma + 1);
  const reason = reasonOfIndexWord(reasonText.split(',', 1)[0] ?? '');
  if (!reason) {
    throw new InputError(`${where}: "${reasonText}" is not a revocation reason`, {
      hint: CORRUPT_HINT,
    });
  }
  return { ...revocation, reason, reasonText };
}

function parseIndexTime(text: string, where: string): Date {
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) {
    throw new InputError(`${where}: "${text}" is not a time (YYMMDDHHMMSSZ)`, {
      hint: CORRUPT_HINT,
    });
  }
  const [yearText, ...rest] = match.slice(1) as [string, ...string[]];
  const shortYear = Number(yearText);
  const year = yearText.length === 2 ? shortYear + (shortYear >= 50 ? 1900 : 2000) : shortYear;
  const [month, day, hour, minute, second] = rest.map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const exact =
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  if (!exact) {
    throw new InputError(`${where}: "${text}" is not a valid date`, { hint: CORRUPT_HINT });
  }
  return date;
}

function escapeOnelineValue(value: string): string {
  let text = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    text +=
      byte < 0x20 || byte > 0x7e
        ? `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte);
  }
  return text;
}
