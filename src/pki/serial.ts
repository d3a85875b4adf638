import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';

/**
 * 128 bits from a CSPRNG, as Go and mkcert use: well above the CA/Browser Forum's 64, and the
 * encoding (at most 17 octets) stays under RFC 5280's limit of 20.
 */
export const SERIAL_ENTROPY_BYTES = 16;
/** RFC 5280 §4.1.2.2: serial numbers are at most 20 octets (of DER content). */
export const MAX_SERIAL_OCTETS = 20;

/**
 * A fresh serial number as DER INTEGER content: 128 random bits taken as a positive integer, in
 * its minimal encoding (leading zero octets dropped, a 0x00 put in front when the top bit is set,
 * so it never reads as negative). A zero draw (chance 2^-128) is drawn again: serials are non-zero.
 */
export function randomSerial(random: (size: number) => Buffer = randomBytes): Buffer {
  for (;;) {
    const serial = minimalPositive(random(SERIAL_ENTROPY_BYTES));
    if (serial) return serial;
  }
}

/**
 * A serial given in hex (`0x` prefix, colons and spaces allowed, as openssl prints it), as DER
 * INTEGER content. Rejects empty, zero, negative and over-long values.
 */
export function parseSerial(text: string): Buffer {
  const hex = text.trim().replace(/^0x/i, '').replace(/[:\s]/g, '');
  if (!/^[0-9a-f]+$/i.test(hex)) {
    const problem = text.trim().startsWith('-') ? 'is negative' : 'is not a hexadecimal number';
    throw new InputError(`--serial "${text}" ${problem}`, {
      hint: 'give a positive hexadecimal number such as 0x1000 or 3A:F2:01',
    });
  }
  const serial = minimalPositive(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
  if (!serial) {
    throw new InputError(`--serial "${text}" is zero`, {
      hint: 'RFC 5280 serial numbers are positive',
    });
  }
  if (serial.length > MAX_SERIAL_OCTETS) {
    throw new InputError(
      `--serial "${text}" takes ${serial.length} octets; the limit is ${MAX_SERIAL_OCTETS}`,
    );
  }
  return serial;
}

/** Uppercase hex of the number, as `openssl x509 -noout -serial` prints it after `serial=`. */
export function formatSerial(serial: Uint8Array): string {
  const bytes = Buffer.from(serial);
  let start = 0;
  // The 0x00 that keeps a DER INTEGER positive is encoding, not part of the number.
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start).toString('hex').toUpperCase();
}

/** DER INTEGER content for an unsigned magnitude; undefined when it is zero. */
function minimalPositive(magnitude: Uint8Array): Buffer | undefined {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  if (start === magnitude.length) return undefined;
  const digits = Buffer.from(magnitude.subarray(start));
  return (digits[0] as number) & 0x80 ? Buffer.concat([Buffer.of(0), digits]) : digits;
}
