/**
 * SSL 2.0 cipher kinds: three-byte codes in SSLv2's own hello format (draft-hickman-netscape-ssl-00
 * appendix C). Any SSLv2 support is a finding by itself; these name what the server offers.
 */
export interface Sslv2CipherSpec {
  id: number;
  name: string;
  openssl: string;
  enc: string;
  bits: number;
  export: boolean;
}

// prettier-ignore
const SSLV2_CIPHER_SPECS: readonly Sslv2CipherSpec[] = [
  { id: 0x010080, name: 'SSL_CK_RC4_128_WITH_MD5', openssl: 'RC4-MD5', enc: 'RC4', bits: 128, export: false },
  { id: 0x020080, name: 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', openssl: 'EXP-RC4-MD5', enc: 'RC4', bits: 40, export: true },
  { id: 0x030080, name: 'SSL_CK_RC2_128_CBC_WITH_MD5', openssl: 'RC2-CBC-MD5', enc: 'RC2', bits: 128, export: false },
  { id: 0x040080, name: 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', openssl: 'EXP-RC2-CBC-MD5', enc: 'RC2', bits: 40, export: true },
  { id: 0x050080, name: 'SSL_CK_IDEA_128_CBC_WITH_MD5', openssl: 'IDEA-CBC-MD5', enc: 'IDEA', bits: 128, export: false },
  { id: 0x060040, name: 'SSL_CK_DES_64_CBC_WITH_MD5', openssl: 'DES-CBC-MD5', enc: 'DES', bits: 56, export: false },
  { id: 0x0700c0, name: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', openssl: 'DES-CBC3-MD5', enc: '3DES', bits: 168, export: false },
  { id: 0x080080, name: 'SSL_CK_RC4_64_WITH_MD5', openssl: 'RC4-64-MD5', enc: 'RC4', bits: 64, export: false },
];

export function allSslv2CipherSpecs(): readonly Sslv2CipherSpec[] {
  return SSLV2_CIPHER_SPECS;
}

export function sslv2CipherSpecById(id: number): Sslv2CipherSpec | undefined {
  return SSLV2_CIPHER_SPECS.find((spec) => spec.id === id);
}

/** `0x0700c0` style hex for the three-byte codes. */
export function sslv2CipherSpecHex(id: number): string {
  return `0x${id.toString(16).padStart(6, '0')}`;
}
