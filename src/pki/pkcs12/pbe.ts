import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { InputError, messageOf } from '../../errors.js';
import {
  algorithmName,
  hashByName,
  hashByPrfOid,
  HMAC_PRF_OIDS,
  OID,
  PBES2_CIPHERS,
  pbes2CipherByOid,
  PKCS12_PBE_IV_BYTES,
  PKCS12_PBE_SCHEMES,
  pkcs12PbeSchemeByOid,
  type HashName,
  type Pbes2Cipher,
  type Pkcs12PbeScheme,
} from './algorithms.js';
import type { Pkcs12Password } from './password.js';
import { derivePkcs12Key, Pkcs12KeyPurpose } from './pkcs12-kdf.js';
import { rc2CbcDecrypt, rc2CbcEncrypt } from './rc2.js';
import { Pbes2Parameters, Pbkdf2Parameters, Pkcs12PbeParameters } from './schema.js';
import { toArrayBuffer } from '../der-writer.js';

/**
 * Password-based encryption of PKCS#12 bags and SafeContents: PBES2 (RFC 8018, PBKDF2 with a
 * CBC cipher) and the PKCS#12 PBE schemes (RFC 7292 appendix C: 3DES or RC2, keys from the
 * PKCS#12 KDF with SHA-1).
 */

/** How to encrypt: the modern scheme, or a legacy one for old Java, Windows and macOS. */
export type EncryptionScheme =
  | {
      kind: 'pbes2';
      prf: HashName;
      cipher: Pbes2Cipher['name'];
      iterations: number;
      saltBytes: number;
    }
  | { kind: 'pkcs12-pbe'; scheme: Pkcs12PbeScheme['name']; iterations: number; saltBytes: number };

export interface Encrypted {
  algorithm: AlgorithmIdentifier;
  ciphertext: Buffer;
}

/** The arc of the PKCS#12 PBE schemes, RC4 ones included (RFC 7292 appendix C). */
const PKCS12_PBE_ARC = '1.2.840.113549.1.12.1.';

/**
 * Iteration counts past these are files made to stall the reader. PBKDF2 runs natively (about
 * half a microsecond a round); the PKCS#12 KDF runs in JavaScript, one createHash per round
 * (1.5 to 5 microseconds), and real files use at most 100000 (Java's legacy MAC).
 */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
export const MAX_PKCS12_KDF_ITERATIONS = 1_000_000;

export function encryptWithPassword(
  scheme: EncryptionScheme,
  plaintext: Uint8Array,
  password: Pkcs12Password,
  random: (size: number) => Buffer = randomBytes,
): Encrypted {
  const salt = random(scheme.saltBytes);
  if (scheme.kind === 'pbes2') {
    const cipher = PBES2_CIPHERS.find(
      (candidate) => candidate.name === scheme.cipher,
    ) as Pbes2Cipher;
    const iv = random(cipher.ivBytes);
    const key = pbkdf2Sync(password.utf8, salt, scheme.iterations, cipher.keyBytes, scheme.prf);
    const parameters = new Pbes2Parameters({
      keyDerivationFunc: algorithmIdentifier(
        OID.pbkdf2,
        new Pbkdf2Parameters({
          salt: toArrayBuffer(salt),
          iterationCount: scheme.iterations,
          // OpenSSL writes the PRF with NULL parameters, as RFC 8018 appendix B.1 has it.
          prf: new AlgorithmIdentifier({ algorithm: HMAC_PRF_OIDS[scheme.prf], parameters: null }),
        }),
      ),
      encryptionScheme: algorithmIdentifier(cipher.oid, new OctetString(iv)),
    });
    return {
      algorithm: algorithmIdentifier(OID.pbes2, parameters),
      ciphertext: nodeCipher(cipher.name, key, iv, plaintext),
    };
  }
  const pbe = PKCS12_PBE_SCHEMES.find(
    (candidate) => candidate.name === scheme.scheme,
  ) as Pkcs12PbeScheme;
  const { key, iv } = pkcs12PbeKeyAndIv(pbe, password, salt, scheme.iterations);
  const parameters = new Pkcs12PbeParameters({
    salt: toArrayBuffer(salt),
    iterations: scheme.iterations,
  });
  const padded = addPadding(plaintext, PKCS12_PBE_IV_BYTES);
  const ciphertext =
    pbe.cipher === 'rc2-cbc'
      ? rc2CbcEncrypt(key, pbe.effectiveBits as number, iv, padded)
      : rawCbc(createCipheriv(pbe.cipher, key, iv), padded);
  return { algorithm: algorithmIdentifier(pbe.oid, parameters), ciphertext };
}

/**
 * Decrypts with the scheme `algorithm` names. Returns undefined when the result's padding is
 * wrong (a wrong password, or damaged data); throws an InputError naming `where` for an
 * unsupported algorithm or malformed parameters.
 */
export function decryptWithPassword(
  algorithm: AlgorithmIdentifier,
  ciphertext: Uint8Array,
  password: Pkcs12Password,
  where: string,
): Buffer | undefined {
  if (algorithm.algorithm === OID.pbes2)
    return decryptPbes2(algorithm, ciphertext, password, where);
  const pbe = pkcs12PbeSchemeByOid(algorithm.algorithm);
  if (!pbe) throw unsupported(algorithm.algorithm, where);
  const parameters = parseParameters(algorithm, Pkcs12PbeParameters, where);
  const iterations = checkedIterations(parameters.iterations, where);
  const { key, iv } = pkcs12PbeKeyAndIv(pbe, password, Buffer.from(parameters.salt), iterations);
  if (ciphertext.length === 0 || ciphertext.length % PKCS12_PBE_IV_BYTES !== 0) return undefined;
  const padded =
    pbe.cipher === 'rc2-cbc'
      ? rc2CbcDecrypt(key, pbe.effectiveBits as number, iv, ciphertext)
      : rawCbc(createDecipheriv(pbe.cipher, key, iv), ciphertext);
  return removePadding(padded, PKCS12_PBE_IV_BYTES);
}

/** What a password-based encryption algorithm is, read from its parameters (no password). */
export interface PasswordEncryption {
  /** `PBES2`, `pbeWithSHA1And3-KeyTripleDES-CBC`, or for an unknown scheme `OID 1.2.3…`. */
  scheme: string;
  /** PBES2 only: PBKDF2's PRF, e.g. `hmacWithSHA256`. */
  prf: string | null;
  /** PBES2 only, e.g. `aes-256-cbc`. */
  cipher: string | null;
  iterations: number | null;
  saltBytes: number | null;
  /** A PKCS#12 PBE scheme (3DES or RC2 keyed through SHA-1), from before PBES2. */
  legacy: boolean;
  /** RC2 or RC4: OpenSSL 3 reads it only with -legacy, and Node's tls cannot load it at all. */
  needsLegacyProvider: boolean;
  /** tlskit can decrypt it. */
  supported: boolean;
}

/** Describes the algorithm; malformed parameters of a known scheme are an InputError. */
export function describePasswordEncryption(
  algorithm: AlgorithmIdentifier,
  where: string,
): PasswordEncryption {
  const oid = algorithm.algorithm;
  const pbe = pkcs12PbeSchemeByOid(oid);
  if (pbe) {
    const parameters = parseParameters(algorithm, Pkcs12PbeParameters, where);
    return {
      scheme: pbe.name,
      prf: null,
      cipher: null,
      iterations: checkedIterations(parameters.iterations, where),
      saltBytes: parameters.salt.byteLength,
      legacy: true,
      needsLegacyProvider: pbe.cipher === 'rc2-cbc',
      supported: true,
    };
  }
  const unknown = {
    scheme: algorithmName(oid),
    prf: null,
    cipher: null,
    iterations: null,
    saltBytes: null,
    legacy: oid.startsWith(PKCS12_PBE_ARC),
    needsLegacyProvider: oid.startsWith(PKCS12_PBE_ARC),
    supported: false,
  };
  if (oid !== OID.pbes2) return unknown;
  const { keyDerivationFunc, encryptionScheme } = parseParameters(
    algorithm,
    Pbes2Parameters,
    where,
  );
  const cipher = pbes2CipherByOid(encryptionScheme.algorithm);
  const cipherName = algorithmName(encryptionScheme.algorithm);
  if (keyDerivationFunc.algorithm !== OID.pbkdf2) {
    return { ...unknown, scheme: 'PBES2', cipher: cipherName };
  }
  const kdf = parseParameters(keyDerivationFunc, Pbkdf2Parameters, where);
  const prfOid = kdf.prf?.algorithm ?? HMAC_PRF_OIDS.sha1;
  return {
    scheme: 'PBES2',
    prf: algorithmName(prfOid),
    cipher: cipherName,
    iterations: checkedIterations(kdf.iterationCount, where, MAX_PBKDF2_ITERATIONS),
    saltBytes: kdf.salt.byteLength,
    legacy: false,
    needsLegacyProvider: false,
    supported: cipher !== undefined && hashByPrfOid(prfOid) !== undefined,
  };
}

/** `PBES2, PBKDF2 with hmacWithSHA256, aes-256-cbc, 2048 iterations`, as openssl words it. */
export function passwordEncryptionText(encryption: PasswordEncryption): string {
  const iterations =
    encryption.iterations === null
      ? null
      : `${encryption.iterations} iteration${encryption.iterations === 1 ? '' : 's'}`;
  const kdf = encryption.prf ? `PBKDF2 with ${encryption.prf}` : null;
  return [encryption.scheme, kdf, encryption.cipher, iterations].filter(Boolean).join(', ');
}

/** A positive iteration count no larger than `max`, or an InputError. */
export function checkedIterations(
  value: number | string,
  where: string,
  max = MAX_PKCS12_KDF_ITERATIONS,
): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InputError(`${where}: iteration count ${value} is not a positive number`);
  }
  if (count > max) {
    throw new InputError(`${where}: iteration count ${count} is more than ${max}`, {
      hint: 'a file made to stall its reader, or from a tool tlskit does not know',
    });
  }
  return count;
}

/** Parses an AlgorithmIdentifier's parameters with an asn1-schema class, or an InputError. */
export function parseParameters<T>(
  algorithm: AlgorithmIdentifier,
  schema: new () => T,
  where: string,
): T {
  const name = algorithmName(algorithm.algorithm);
  if (!algorithm.parameters) throw new InputError(`${where}: ${name} has no parameters`);
  try {
    return AsnConvert.parse(algorithm.parameters, schema);
  } catch (error) {
    throw new InputError(`${where}: malformed ${name} parameters (${messageOf(error)})`, {
      cause: error,
    });
  }
}

export function unsupported(oid: string, where: string): InputError {
  const name = algorithmName(oid);
  const what =
    name === `OID ${oid}` ? `unknown algorithm ${oid}` : `unsupported algorithm ${name} (${oid})`;
  return new InputError(`${where}: ${what}`, {
    hint: 'export the file again with PBES2 (AES) or 3DES, and a SHA-1 or SHA-2 MAC',
  });
}

export function algorithmIdentifier(oid: string, parameters: object): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: oid, parameters: AsnConvert.serialize(parameters) });
}

// ---- PBES2 ----------------------------------------------------------------------------------

function decryptPbes2(
  algorithm: AlgorithmIdentifier,
  ciphertext: Uint8Array,
  password: Pkcs12Password,
  where: string,
): Buffer | undefined {
  const { keyDerivationFunc, encryptionScheme } = parseParameters(
    algorithm,
    Pbes2Parameters,
    where,
  );
  if (keyDerivationFunc.algorithm !== OID.pbkdf2)
    throw unsupported(keyDerivationFunc.algorithm, where);
  const cipher = pbes2CipherByOid(encryptionScheme.algorithm);
  if (!cipher) throw unsupported(encryptionScheme.algorithm, where);
  const kdf = parseParameters(keyDerivationFunc, Pbkdf2Parameters, where);
  const iterations = checkedIterations(kdf.iterationCount, where, MAX_PBKDF2_ITERATIONS);
  // RFC 8018 appendix A.2: no PRF means hmacWithSHA1.
  const prfOid = kdf.prf?.algorithm ?? HMAC_PRF_OIDS.sha1;
  const prf = hashByPrfOid(prfOid);
  if (!prf) throw unsupported(prfOid, where);
  if (kdf.keyLength !== undefined && Number(kdf.keyLength) !== cipher.keyBytes) {
    throw new InputError(
      `${where}: PBKDF2 key length ${kdf.keyLength} does not fit ${cipher.name}`,
    );
  }
  const iv = Buffer.from(parseParameters(encryptionScheme, OctetString, where).buffer);
  if (iv.length !== cipher.ivBytes) {
    throw new InputError(
      `${where}: the ${cipher.name} IV is ${iv.length} bytes, not ${cipher.ivBytes}`,
    );
  }
  const blockBytes = cipher.ivBytes;
  if (ciphertext.length === 0 || ciphertext.length % blockBytes !== 0) return undefined;
  const key = pbkdf2Sync(
    password.utf8,
    Buffer.from(kdf.salt),
    iterations,
    cipher.keyBytes,
    prf.name,
  );
  return removePadding(rawCbc(createDecipheriv(cipher.name, key, iv), ciphertext), blockBytes);
}

// ---- PKCS#12 PBE ----------------------------------------------------------------------------

function pkcs12PbeKeyAndIv(
  scheme: Pkcs12PbeScheme,
  password: Pkcs12Password,
  salt: Uint8Array,
  iterations: number,
): { key: Buffer; iv: Buffer } {
  const sha1 = hashByName('sha1');
  const derive = (purpose: 1 | 2, length: number) =>
    derivePkcs12Key(sha1, password.bmp, salt, iterations, purpose, length);
  return {
    key: derive(Pkcs12KeyPurpose.encryptionKey, scheme.keyBytes),
    iv: derive(Pkcs12KeyPurpose.iv, PKCS12_PBE_IV_BYTES),
  };
}

// ---- CBC and padding ------------------------------------------------------------------------

function nodeCipher(name: string, key: Buffer, iv: Buffer, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv(name, key, iv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** Padding is checked here for every cipher alike, so Node's and RC2's failures look the same. */
function rawCbc(
  cipher: ReturnType<typeof createCipheriv> | ReturnType<typeof createDecipheriv>,
  data: Uint8Array,
): Buffer {
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** RFC 8018 section 6.1.1 step 4 (and RFC 5652 section 6.3): 1 to blockBytes bytes of value n. */
function addPadding(data: Uint8Array, blockBytes: number): Buffer {
  const count = blockBytes - (data.length % blockBytes);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

function removePadding(data: Buffer, blockBytes: number): Buffer | undefined {
  const count = data[data.length - 1];
  if (count === undefined || count < 1 || count > blockBytes || count > data.length)
    return undefined;
  for (let index = data.length - count; index < data.length; index++) {
    if (data[index] !== count) return undefined;
  }
  return data.subarray(0, data.length - count);
}
