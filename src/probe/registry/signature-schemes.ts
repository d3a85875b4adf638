import { hex16 } from '../wire/hex.js';

/**
 * The IANA "TLS SignatureScheme" registry (RFC 8446 §4.2.3), with TLS 1.2's hash/signature pairs
 * (RFC 5246 §7.4.1.4.1) that share the code space, as data.
 */
export interface SignatureSchemeRow {
  id: number;
  name: string;
  /** Deprecated (SHA-1, MD5, SHA-224) or never for TLS 1.3. */
  legacy: boolean;
}

// prettier-ignore
const SIGNATURE_SCHEME_TABLE: readonly SignatureSchemeRow[] = [
  { id: 0x0101, name: 'rsa_pkcs1_md5', legacy: true },
  { id: 0x0102, name: 'dsa_md5', legacy: true },
  { id: 0x0103, name: 'ecdsa_md5', legacy: true },
  { id: 0x0201, name: 'rsa_pkcs1_sha1', legacy: true },
  { id: 0x0202, name: 'dsa_sha1', legacy: true },
  { id: 0x0203, name: 'ecdsa_sha1', legacy: true },
  { id: 0x0301, name: 'rsa_pkcs1_sha224', legacy: true },
  { id: 0x0302, name: 'dsa_sha224', legacy: true },
  { id: 0x0303, name: 'ecdsa_sha224', legacy: true },
  { id: 0x0401, name: 'rsa_pkcs1_sha256', legacy: false },
  { id: 0x0402, name: 'dsa_sha256', legacy: true },
  { id: 0x0403, name: 'ecdsa_secp256r1_sha256', legacy: false },
  { id: 0x0501, name: 'rsa_pkcs1_sha384', legacy: false },
  { id: 0x0502, name: 'dsa_sha384', legacy: true },
  { id: 0x0503, name: 'ecdsa_secp384r1_sha384', legacy: false },
  { id: 0x0601, name: 'rsa_pkcs1_sha512', legacy: false },
  { id: 0x0602, name: 'dsa_sha512', legacy: true },
  { id: 0x0603, name: 'ecdsa_secp521r1_sha512', legacy: false },
  { id: 0x0708, name: 'sm2sig_sm3', legacy: false },
  { id: 0x0709, name: 'gostr34102012_256a', legacy: false },
  { id: 0x070a, name: 'gostr34102012_256b', legacy: false },
  { id: 0x070b, name: 'gostr34102012_256c', legacy: false },
  { id: 0x070c, name: 'gostr34102012_256d', legacy: false },
  { id: 0x070d, name: 'gostr34102012_512a', legacy: false },
  { id: 0x070e, name: 'gostr34102012_512b', legacy: false },
  { id: 0x070f, name: 'gostr34102012_512c', legacy: false },
  { id: 0x0804, name: 'rsa_pss_rsae_sha256', legacy: false },
  { id: 0x0805, name: 'rsa_pss_rsae_sha384', legacy: false },
  { id: 0x0806, name: 'rsa_pss_rsae_sha512', legacy: false },
  { id: 0x0807, name: 'ed25519', legacy: false },
  { id: 0x0808, name: 'ed448', legacy: false },
  { id: 0x0809, name: 'rsa_pss_pss_sha256', legacy: false },
  { id: 0x080a, name: 'rsa_pss_pss_sha384', legacy: false },
  { id: 0x080b, name: 'rsa_pss_pss_sha512', legacy: false },
  { id: 0x081a, name: 'ecdsa_brainpoolP256r1tls13_sha256', legacy: false },
  { id: 0x081b, name: 'ecdsa_brainpoolP384r1tls13_sha384', legacy: false },
  { id: 0x081c, name: 'ecdsa_brainpoolP512r1tls13_sha512', legacy: false },
  { id: 0x0904, name: 'mldsa44', legacy: false },
  { id: 0x0905, name: 'mldsa65', legacy: false },
  { id: 0x0906, name: 'mldsa87', legacy: false },
];

const BY_ID = new Map(SIGNATURE_SCHEME_TABLE.map((row) => [row.id, row]));

export function allSignatureSchemes(): readonly SignatureSchemeRow[] {
  return SIGNATURE_SCHEME_TABLE;
}

export function signatureSchemeName(id: number): string {
  return BY_ID.get(id)?.name ?? hex16(id);
}
