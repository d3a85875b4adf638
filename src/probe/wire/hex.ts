/** Protocol values are shown in hex: `0x0303`, `0xc02f`. */
export function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/** `0x0a` for one-byte values (alert descriptions, compression methods). */
export function hex8(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/** Lower-case hex of raw bytes. */
export function hexBytes(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}

/** Parses `0xc02f`, `c02f` or `0xC0,0x2F` into a number; undefined when it is not hex. */
export function parseHexCode(text: string): number | undefined {
  const compact = text
    .trim()
    .toLowerCase()
    .replace(/,\s*0x/g, '')
    .replace(/^0x/, '');
  if (!/^[0-9a-f]{1,6}$/.test(compact)) return undefined;
  return Number.parseInt(compact, 16);
}
