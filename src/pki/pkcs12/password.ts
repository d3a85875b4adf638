/**
 * A passphrase in the two forms PKCS#12 needs: PBES2's PBKDF2 takes its UTF-8 bytes (as OpenSSL
 * and Java pass them), while the PKCS#12 KDF, which derives the MAC key and the legacy 3DES and
 * RC2 keys, takes a BMPString (RFC 7292 appendix B.1).
 */
export interface Pkcs12Password {
  utf8: Buffer;
  /** UTF-16 big-endian with two zero bytes at the end; empty for an absent password. */
  bmp: Buffer;
}

export function pkcs12Password(passphrase: string): Pkcs12Password {
  const utf16 = Buffer.from(passphrase, 'utf16le').swap16();
  return { utf8: Buffer.from(passphrase, 'utf8'), bmp: Buffer.concat([utf16, Buffer.alloc(2)]) };
}

/**
 * No password at all, not even an empty one: OpenSSL writes files with `-passout pass:` this way
 * for some readers, so an empty passphrase is tried in both forms (see pfx-read).
 */
export const ABSENT_PASSWORD: Pkcs12Password = { utf8: Buffer.alloc(0), bmp: Buffer.alloc(0) };
