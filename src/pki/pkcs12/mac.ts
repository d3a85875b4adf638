import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MacData } from '@peculiar/asn1-pfx';
import { OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  algorithmName,
  hashByName,
  hashByOid,
  type HashAlgorithm,
  type HashName,
} from './algorithms.js';
import type { Pkcs12Password } from './password.js';
import { checkedIterations, unsupported } from './pbe.js';
import { derivePkcs12Key, Pkcs12KeyPurpose } from './pkcs12-kdf.js';

/**
 * The integrity MAC of a password-protected PKCS#12 file (RFC 7292 section 5.1 and appendix
 * B.4): HMAC over the AuthenticatedSafe's octets, keyed by the PKCS#12 KDF with purpose 3.
 * OpenSSL 3 still keys even its SHA-256 MAC this way, and so do Java and GnuTLS.
 */

export interface MacScheme {
  hash: HashName;
  iterations: number;
  saltBytes: number;
}

export function computeMacData(
  scheme: MacScheme,
  content: Uint8Array,
  password: Pkcs12Password,
  random: (size: number) => Buffer = randomBytes,
): MacData {
  const hash = hashByName(scheme.hash);
  const salt = random(scheme.saltBytes);
  const macData = new MacData({ macSalt: new OctetString(salt), iterations: scheme.iterations });
  // OpenSSL writes NULL parameters for the digest, as for signatures.
  macData.mac.digestAlgorithm = new AlgorithmIdentifier({ algorithm: hash.oid, parameters: null });
  macData.mac.digest = new OctetString(hmacOf(hash, content, password, salt, scheme.iterations));
  return macData;
}

/**
 * True when the MAC verifies with this password. An unsupported MAC algorithm (PBMAC1, MD5,
 * GOST…) is an InputError naming it and `where`.
 */
export function verifyMacData(
  macData: MacData,
  content: Uint8Array,
  password: Pkcs12Password,
  where: string,
): boolean {
  const oid = macData.mac.digestAlgorithm.algorithm;
  const hash = hashByOid(oid);
  if (!hash) throw unsupported(oid, `${where}: the MAC`);
  const iterations = checkedIterations(macData.iterations, `${where}: the MAC`);
  const expected = Buffer.from(macData.mac.digest.buffer);
  const actual = hmacOf(hash, content, password, Buffer.from(macData.macSalt.buffer), iterations);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hmacOf(
  hash: HashAlgorithm,
  content: Uint8Array,
  password: Pkcs12Password,
  salt: Uint8Array,
  iterations: number,
): Buffer {
  // The MAC key is as long as the hash's output (RFC 7292 appendix B.4), as OpenSSL derives it.
  const key = derivePkcs12Key(
    hash,
    password.bmp,
    salt,
    iterations,
    Pkcs12KeyPurpose.macKey,
    hash.outputBytes,
  );
  return createHmac(hash.name, key).update(content).digest();
}

/** What protects a file's integrity, read without the password. */
export interface MacDescription {
  /** The HMAC's hash (`sha256`), or `PBMAC1`/`OID …` for one tlskit cannot check. */
  algorithm: string;
  iterations: number;
  saltBytes: number;
  supported: boolean;
}

export function describeMacData(macData: MacData, where: string): MacDescription {
  const oid = macData.mac.digestAlgorithm.algorithm;
  return {
    algorithm: algorithmName(oid),
    iterations: checkedIterations(macData.iterations, `${where}: the MAC`),
    saltBytes: macData.macSalt.byteLength,
    supported: hashByOid(oid) !== undefined,
  };
}
