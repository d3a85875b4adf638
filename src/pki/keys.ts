import {
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPair as generateKeyPairCallback,
  getCipherInfo,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  errorCode,
  InputError,
  InternalError,
  messageOf,
  RefusedError,
  UsageError,
  WrongPassphraseError,
} from '../errors.js';
import { decodePem, looksLikePem, readDerHeader, type PemBlock } from '../io/pem.js';
import type { PassphraseProvider } from '../io/prompter.js';
import { readInputFile } from '../io/read-input.js';

export const KEY_TYPES = ['rsa', 'ec', 'ed25519', 'ed448'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const CURVES = ['P-256', 'P-384', 'P-521'] as const;
export type Curve = (typeof CURVES)[number];

export const DEFAULT_RSA_BITS = 2048;
/** Below this, RSA is refused unless the caller explicitly allows weak keys. */
export const MIN_RSA_BITS = 2048;
/** OpenSSL itself refuses less than 512 bits. */
const ABSOLUTE_MIN_RSA_BITS = 512;
const MAX_RSA_BITS = 16384;

export interface KeySpec {
  type: KeyType;
  /** RSA modulus size. */
  bits?: number;
  /** EC curve (NIST name). */
  curve?: Curve;
  /** Permit RSA keys below 2048 bits. */
  allowWeak?: boolean;
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What a key is, in the words of Node's getPeerCertificate(): bits for RSA, asn1Curve for EC. */
export interface KeyDescription {
  type: KeyType;
  bits: number;
  curve?: Curve;
}

/** The ASN.1 structure a private key is written in. */
export type KeyStructure = 'pkcs8' | 'pkcs1' | 'sec1';

export interface PrivateKeyEncoding {
  format: 'pem' | 'der';
  /** PKCS#1 (RSA) or SEC1 (EC) instead of PKCS#8, like `openssl genrsa -traditional`. */
  traditional?: boolean;
  /** Encrypt as PKCS#8 PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256), as OpenSSL 3 does. */
  passphrase?: string;
}

export interface LoadKeyOptions {
  /** A name for the input in error messages (usually the file path). */
  source: string;
  /** Asked only if the key is encrypted. */
  passphrase?: PassphraseProvider;
}

const generateKeyPairAsync = promisify(generateKeyPairCallback);

/**
 * A fresh key pair from node:crypto. generateKeyPair runs on libuv's thread pool, so several
 * RSA keys made concurrently use every core and the event loop stays free.
 */
export async function generateKeyPair(spec: KeySpec): Promise<KeyPair> {
  switch (spec.type) {
    case 'rsa':
      return generateKeyPairAsync('rsa', {
        modulusLength: checkRsaBits(spec),
        publicExponent: 0x10001,
      });
    case 'ec':
      return generateKeyPairAsync('ec', { namedCurve: checkCurve(spec.curve ?? 'P-256') });
    case 'ed25519':
      return generateKeyPairAsync('ed25519');
    case 'ed448':
      return generateKeyPairAsync('ed448');
    default:
      // Specs also come from JSON profiles, where the type system cannot vouch for `type`.
      throw new UsageError(`key type ${String(spec.type)} is not supported`, {
        hint: `use one of ${KEY_TYPES.join(', ')}`,
      });
  }
}

/**
 * The structure a key of `type` is written in for `encoding`, or a UsageError if that
 * combination cannot be written. Callers check this before generating a key, not after.
 */
export function selectKeyStructure(
  type: string,
  encoding: Pick<PrivateKeyEncoding, 'traditional' | 'passphrase'>,
): KeyStructure {
  if (!encoding.traditional) return 'pkcs8';
  if (encoding.passphrase !== undefined) {
    // Node would write the legacy Proc-Type PEM encryption (MD5 key derivation): never do that.
    throw new UsageError('traditional (PKCS#1/SEC1) keys cannot be encrypted safely', {
      hint: 'drop --traditional to write an encrypted PKCS#8 key',
    });
  }
  if (type === 'rsa') return 'pkcs1';
  if (type === 'ec') return 'sec1';
  throw new UsageError(`${type} keys have no traditional format`, {
    hint: 'drop --traditional: PKCS#8 is the only format for this key type',
  });
}

/** Serialises a private key; Node's OpenSSL writes the same PBES2 parameters as `openssl pkcs8`. */
export function encodePrivateKey(key: KeyObject, encoding: PrivateKeyEncoding): Buffer {
  if (key.type !== 'private') throw new InternalError('encodePrivateKey needs a private key');
  const type = selectKeyStructure(key.asymmetricKeyType ?? 'unknown', encoding);
  const encrypted =
    encoding.passphrase === undefined
      ? {}
      : { cipher: 'aes-256-cbc', passphrase: encoding.passphrase };
  return Buffer.from(key.export({ type, format: encoding.format, ...encrypted } as never));
}

export function encodePublicKey(key: KeyObject, format: 'pem' | 'der'): Buffer {
  return Buffer.from(publicKeyOf(key).export({ type: 'spki', format } as never));
}

export function describeKey(key: KeyObject): KeyDescription {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { type: 'rsa', bits: details.modulusLength ?? 0 };
    case 'ec': {
      const curve = curveOfNodeName(details.namedCurve);
      return { type: 'ec', bits: Number(curve.slice(2)), curve };
    }
    // OpenSSL's own sizes for EdDSA keys (ED25519_BITS, ED448_BITS), as EVP_PKEY_get_bits says.
    case 'ed25519':
      return { type: 'ed25519', bits: 256 };
    case 'ed448':
      return { type: 'ed448', bits: 456 };
    default:
      throw new InputError(`${key.asymmetricKeyType ?? 'unknown'} keys are not supported`, {
        hint: 'use an RSA, EC (P-256, P-384, P-521), Ed25519 or Ed448 key',
      });
  }
}

/**
 * Reads a private key in any form openssl writes: PKCS#8 (plain or encrypted), PKCS#1, SEC1
 * (after an EC PARAMETERS block too), legacy Proc-Type encrypted PEM, or DER of any of those.
 * Every failure is an InputError naming `source`; a passphrase that does not open the key is a
 * WrongPassphraseError; an encrypted key without a passphrase provider is a UsageError.
 */
export async function loadPrivateKey(
  data: Uint8Array,
  options: LoadKeyOptions,
): Promise<KeyObject> {
  const { source } = options;
  if (data.length === 0) throw new InputError(`${source} is empty`);
  const key = looksLikePem(data)
    ? await loadPemPrivateKey(Buffer.from(data).toString('utf8'), options)
    : await loadDerPrivateKey(Buffer.from(data), options);
  checkSupported(key, source);
  return key;
}

/** Reads and loads a private key file; errors name the path. */
export async function readPrivateKeyFile(
  path: string,
  options: Omit<LoadKeyOptions, 'source'> = {},
): Promise<KeyObject> {
  return loadPrivateKey(await readInputFile(path), { ...options, source: path });
}

/**
 * Reads an SPKI or PKCS#1 public key (PEM or DER), or derives the public half of an unencrypted
 * private key. Every failure is an InputError naming `source`.
 */
export function loadPublicKey(data: Uint8Array, source: string): KeyObject {
  if (data.length === 0) throw new InputError(`${source} is empty`);
  const key = looksLikePem(data)
    ? loadPemPublicKey(Buffer.from(data).toString('utf8'), source)
    : loadDerPublicKey(Buffer.from(data), source);
  checkSupported(key, source);
  return key;
}

/** Reads and loads a public key file; errors name the path. */
export async function readPublicKeyFile(path: string): Promise<KeyObject> {
  return loadPublicKey(await readInputFile(path), path);
}

/**
 * The key in a certificate's or request's SubjectPublicKeyInfo (DER). `context` names it in
 * errors, e.g. "ca.pem: the certificate's public key".
 */
export function publicKeyFromSpki(spki: Uint8Array | ArrayBuffer, context: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki as Uint8Array), format: 'der', type: 'spki' });
  } catch (error) {
    throw new InputError(`${context} is malformed`, { cause: error });
  }
  checkSupported(key, context);
  return key;
}

/** True when the two keys (private or public, in any combination) share one public key. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const spki = (key: KeyObject) => publicKeyOf(key).export({ type: 'spki', format: 'der' });
  return spki(privateKey).equals(spki(publicKey));
}

/** The public half of a key (Node refuses createPublicKey() on a key that is already public). */
export function publicKeyOf(key: KeyObject): KeyObject {
  return key.type === 'public' ? key : createPublicKey(key);
}

// ---- generation -------------------------------------------------------------------------

function checkRsaBits(spec: KeySpec): number {
  const bits = spec.bits ?? DEFAULT_RSA_BITS;
  if (!Number.isInteger(bits) || bits < ABSOLUTE_MIN_RSA_BITS || bits > MAX_RSA_BITS || bits % 8) {
    throw new UsageError(`--bits ${bits} is not a usable RSA key size`, {
      hint: 'use 2048, 3072 or 4096',
    });
  }
  if (bits < MIN_RSA_BITS && !spec.allowWeak) {
    throw new RefusedError(`RSA keys below ${MIN_RSA_BITS} bits are weak`, {
      hint: 'use --bits 2048 or more, or add --allow-weak if you really need it',
    });
  }
  return bits;
}

function checkCurve(curve: string): Curve {
  if ((CURVES as readonly string[]).includes(curve)) return curve as Curve;
  throw new UsageError(`EC curve ${curve} is not supported`, {
    hint: `use ${CURVES.join(', ')}`,
  });
}

const NODE_CURVE_NAMES: Record<string, Curve> = {
  prime256v1: 'P-256',
  'P-256': 'P-256',
  secp384r1: 'P-384',
  'P-384': 'P-384',
  secp521r1: 'P-521',
  'P-521': 'P-521',
};

function curveOfNodeName(name: string | undefined): Curve {
  const curve = name === undefined ? undefined : NODE_CURVE_NAMES[name];
  if (!curve) {
    throw new InputError(`EC curve ${name ?? 'unknown'} is not supported`, {
      hint: 'use P-256, P-384 or P-521',
    });
  }
  return curve;
}

// ---- loading private keys ---------------------------------------------------------------

/** The structure inside each unencrypted private-key PEM label (RFC 7468, RFC 8017, RFC 5915). */
const PLAIN_PRIVATE_KEY_LABELS: Record<string, KeyStructure> = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
};
const ENCRYPTED_PRIVATE_KEY_LABEL = 'ENCRYPTED PRIVATE KEY';
const STRUCTURE_NAMES: Record<KeyStructure, string> = {
  pkcs8: 'PKCS#8',
  pkcs1: 'PKCS#1',
  sec1: 'SEC1',
};

async function loadPemPrivateKey(text: string, options: LoadKeyOptions): Promise<KeyObject> {
  const { source } = options;
  const block = findBlock(decodePem(text, source), source, 'a private key', isPrivateKeyLabel);
  if ('Proc-Type' in block.headers) return loadLegacyEncryptedKey(block, options);
  const where = `${source}: PEM block ${block.label}`;
  checkDerFraming(block.der, where);
  if (block.label === ENCRYPTED_PRIVATE_KEY_LABEL) return loadEncryptedPkcs8(block.der, options);
  const type = PLAIN_PRIVATE_KEY_LABELS[block.label] as KeyStructure;
  try {
    return createPrivateKey({ key: block.der, format: 'der', type });
  } catch (error) {
    throw new InputError(`${where} does not hold a valid ${STRUCTURE_NAMES[type]} key`, {
      cause: error,
    });
  }
}

async function loadDerPrivateKey(der: Buffer, options: LoadKeyOptions): Promise<KeyObject> {
  const { source } = options;
  checkDerFraming(der, source);
  let firstError: unknown;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch (error) {
      if (errorCode(error) === 'ERR_MISSING_PASSPHRASE') return loadEncryptedPkcs8(der, options);
      firstError ??= error;
    }
  }
  if (isCertificate(der)) throw new InputError(`${source} is a certificate, not a private key`);
  if (isPublicKey(der)) throw new InputError(`${source} is a public key, not a private key`);
  throw new InputError(`${source} is not a private key (PKCS#8, PKCS#1 or SEC1, PEM or DER)`, {
    cause: firstError,
  });
}

/**
 * An EncryptedPrivateKeyInfo (RFC 5958 §3). The structure is checked before asking for the
 * passphrase, so that afterwards any failure to decrypt is the passphrase's fault — including
 * the 1 in 256 wrong passphrases whose CBC padding happens to look valid.
 */
async function loadEncryptedPkcs8(der: Buffer, options: LoadKeyOptions): Promise<KeyObject> {
  const { source } = options;
  if (!isEncryptedPrivateKeyInfo(der)) {
    throw new InputError(`${source} is damaged: not a valid encrypted PKCS#8 key`);
  }
  const passphrase = await askPassphrase(options);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase });
  } catch (error) {
    if (errorCode(error) === 'ERR_OSSL_EVP_UNSUPPORTED') throw unsupportedCipherError(source);
    throw new WrongPassphraseError(`wrong passphrase for ${source}`, { cause: error });
  }
}

/** `Proc-Type: 4,ENCRYPTED` PEM (RFC 1421), as `openssl rsa -aes256 -traditional` writes. */
async function loadLegacyEncryptedKey(
  block: PemBlock,
  options: LoadKeyOptions,
): Promise<KeyObject> {
  const { source } = options;
  checkLegacyEncryption(block, source);
  const passphrase = await askPassphrase(options);
  try {
    // OpenSSL's PEM reader derives the key from the passphrase and DEK-Info's IV itself.
    return createPrivateKey({ key: block.text, format: 'pem', passphrase });
  } catch (error) {
    throw new WrongPassphraseError(`wrong passphrase for ${source}`, { cause: error });
  }
}

function checkLegacyEncryption(block: PemBlock, source: string): void {
  const where = `${source}: PEM block ${block.label}`;
  if (!(block.label in PLAIN_PRIVATE_KEY_LABELS) || block.headers['Proc-Type'] !== '4,ENCRYPTED') {
    throw new InputError(`${where} has an unexpected Proc-Type header`);
  }
  const [cipher = '', ivHex = ''] = (block.headers['DEK-Info'] ?? '').split(',');
  const info = getCipherInfo(cipher.toLowerCase());
  if (!info) throw new InputError(`${where} has no usable DEK-Info header`);
  try {
    createDecipheriv(info.name, Buffer.alloc(info.keyLength), Buffer.alloc(info.ivLength ?? 0));
  } catch {
    throw unsupportedCipherError(source);
  }
  const blockSize = info.blockSize ?? 1;
  if (ivHex.length !== 2 * (info.ivLength ?? 0) || !/^[0-9A-Fa-f]*$/.test(ivHex)) {
    throw new InputError(`${where} has a malformed IV in its DEK-Info header`);
  }
  if (block.der.length % blockSize !== 0) {
    throw new InputError(`${where} is truncated (not a whole number of cipher blocks)`);
  }
}

function unsupportedCipherError(source: string): InputError {
  return new InputError(`${source} is encrypted with a cipher OpenSSL 3 no longer enables`, {
    hint:
      're-encrypt it with a modern cipher: openssl pkcs8 -topk8 -v2 aes256 ' +
      '-provider legacy -provider default',
  });
}

async function askPassphrase(options: LoadKeyOptions): Promise<string> {
  if (!options.passphrase) {
    throw new UsageError(`${options.source} is encrypted`, {
      hint: 'give its passphrase with --passin',
    });
  }
  return options.passphrase(`passphrase for ${options.source}`);
}

function isPrivateKeyLabel(label: string): boolean {
  return label in PLAIN_PRIVATE_KEY_LABELS || label === ENCRYPTED_PRIVATE_KEY_LABEL;
}

// ---- loading public keys ----------------------------------------------------------------

const PUBLIC_KEY_LABELS: Record<string, 'spki' | 'pkcs1'> = {
  'PUBLIC KEY': 'spki',
  'RSA PUBLIC KEY': 'pkcs1',
};

function loadPemPublicKey(text: string, source: string): KeyObject {
  const block = findBlock(
    decodePem(text, source),
    source,
    'a public key',
    (label) => label in PUBLIC_KEY_LABELS || isPrivateKeyLabel(label),
  );
  const where = `${source}: PEM block ${block.label}`;
  if (block.label === ENCRYPTED_PRIVATE_KEY_LABEL || 'Proc-Type' in block.headers) {
    throw new InputError(`${source} holds an encrypted private key, not a public key`, {
      hint: 'give the public key (keygen --pubout, or openssl pkey -pubout)',
    });
  }
  checkDerFraming(block.der, where);
  const publicType = PUBLIC_KEY_LABELS[block.label];
  const privateType = PLAIN_PRIVATE_KEY_LABELS[block.label];
  try {
    return publicType
      ? createPublicKey({ key: block.der, format: 'der', type: publicType })
      : createPublicKey(createPrivateKey({ key: block.der, format: 'der', type: privateType }));
  } catch (error) {
    throw new InputError(`${where} does not hold a valid key`, { cause: error });
  }
}

function loadDerPublicKey(der: Buffer, source: string): KeyObject {
  checkDerFraming(der, source);
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch {
      // try the next structure
    }
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPublicKey(createPrivateKey({ key: der, format: 'der', type }));
    } catch (error) {
      if (errorCode(error) === 'ERR_MISSING_PASSPHRASE') {
        throw new InputError(`${source} holds an encrypted private key, not a public key`, {
          hint: 'give the public key (keygen --pubout, or openssl pkey -pubout)',
        });
      }
    }
  }
  if (isCertificate(der)) throw new InputError(`${source} is a certificate, not a public key`);
  throw new InputError(`${source} is not a public key (SPKI or PKCS#1, PEM or DER)`);
}

// ---- shared checks ----------------------------------------------------------------------

/** The first block `wanted` accepts, or an InputError listing what the input holds instead. */
function findBlock(
  blocks: PemBlock[],
  source: string,
  what: string,
  wanted: (label: string) => boolean,
): PemBlock {
  const block = blocks.find((candidate) => wanted(candidate.label));
  if (block) return block;
  if (blocks.length === 0) throw new InputError(`${source} holds no PEM block, not ${what}`);
  const found = blocks.map((candidate) => candidate.label).join(', ');
  throw new InputError(`${source} holds ${found}, not ${what}`);
}

/** Truncated or padded DER gets its own message, before OpenSSL's vaguer "not enough data". */
function checkDerFraming(der: Buffer, where: string): void {
  const header = readDerHeader(der);
  if (der[0] !== 0x30 || !header) {
    throw new InputError(`${where} is not DER (no ASN.1 SEQUENCE at its start)`);
  }
  if (header.end > der.length) {
    throw new InputError(`${where} is truncated (${der.length} of ${header.end} bytes)`);
  }
  if (header.end < der.length) {
    throw new InputError(`${where} has ${der.length - header.end} bytes of trailing data`);
  }
}

/** SEQUENCE { AlgorithmIdentifier SEQUENCE, encryptedData OCTET STRING }, exactly. */
function isEncryptedPrivateKeyInfo(der: Buffer): boolean {
  const outer = readDerHeader(der);
  if (outer?.tag !== 0x30 || outer.end !== der.length) return false;
  const algorithm = readDerHeader(der, outer.contentStart);
  if (algorithm?.tag !== 0x30) return false;
  const data = readDerHeader(der, algorithm.end);
  return data?.tag === 0x04 && data.contentLength > 0 && data.end === outer.end;
}

function isPublicKey(der: Buffer): boolean {
  try {
    createPublicKey({ key: der, format: 'der', type: 'spki' });
    return true;
  } catch {
    return false;
  }
}

function isCertificate(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/** Unsupported key types and curves are refused with the input's name in the message. */
function checkSupported(key: KeyObject, source: string): void {
  try {
    describeKey(key);
  } catch (error) {
    const hint = error instanceof InputError ? error.hint : undefined;
    throw new InputError(`${source}: ${messageOf(error)}`, { hint, cause: error });
  }
}
