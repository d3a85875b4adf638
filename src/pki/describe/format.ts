import { createHash } from 'node:crypto';

/** Formatting shared by the describe modules: hex, digests, dates and day counts. */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Lower-case hex of raw bytes, the form JSON output uses. */
export function hexOf(data: ArrayBuffer | Uint8Array): string {
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('hex');
}

/** `0a1b2c` → `0A:1B:2C`, as openssl prints fingerprints and key identifiers. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/** SHA-256 of DER bytes, lower-case hex (the public-key hash keygen reports too). */
export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** `2026-07-20T00:00:00.000Z` → `2026-07-20 00:00:00 UTC`. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Whole days from `from` to `to`, rounded down (negative when `to` is earlier). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** `1 day`, `3 days`. */
export function countDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}
