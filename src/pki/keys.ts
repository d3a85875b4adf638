import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair as generateKeyPairCallback,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  errorCode,
  InputError,
  RefusedError,
  UsageError,
  WrongPassphraseError,
} from '../errors.js';
import { decodePem, looksLikePem, type PemBlock } from '../io/pem.js';
import type { PassphraseProvider } from '../io/prompter.js';

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
      return generateKeyPairAsync('ec', { namedCurve: spec.curve ?? 'P-256' });
    case 'ed25519':
      return generateKeyPairAsync('ed25519');
    case 'ed448':
      return generateKeyPairAsync('ed448');
  }
}

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

export interface PrivateKeyEncoding {
  format: 'pem' | 'der';
  /** PKCS#1 (RSA) or SEC1 (EC) instead of PKCS#8, like `openssl genrsa -traditional`. */
  traditional?: boolean;
  /** Encrypt as PKCS#8 PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256), as OpenSSL 3 does. */
  passphrase?: string;
}

/** Serialises a private key; Node's OpenSSL writes the same PBES2 parameters as `openssl pkcs8`. */
export function encodePrivateKey(key: KeyObject, encoding: PrivateKeyEncoding): Buffer {
  const type = encoding.traditional ? traditionalFormatOf(key) : 'pkcs8';
  if (encoding.passphrase !== undefined && encoding.traditional) {
    // Node would write the legacy Proc-Type PEM encryption (MD5 key derivation): never do that.
    throw new UsageError('traditional (PKCS#1/SEC1) keys cannot be encrypted safely', {
      hint: 'drop --traditional to write an encrypted PKCS#8 key',
    });
  }
  const encrypted =
    encoding.passphrase === undefined
      ? {}
      : { cipher: 'aes-256-cbc', passphrase: encoding.passphrase };
  return Buffer.from(key.export({ type, format: encoding.format, ...encrypted } as never));
}

export function encodePublicKey(key: KeyObject, format: 'pem' | 'der'): Buffer {
  return Buffer.from(publicKeyOf(key).export({ type: 'spki', format } as never));
}

function traditionalFormatOf(key: KeyObject): 'pkcs1' | 'sec1' {
  if (key.asymmetricKeyType === 'rsa') return 'pkcs1';
  if (key.asymmetricKeyType === 'ec') return 'sec1';
  throw new UsageError(`${key.asymmetricKeyType} keys have no traditional format`, {
    hint: 'drop --traditional: PKCS#8 is the only format for this key type',
  });
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

/** PEM labels of private keys; other labels (EC PARAMETERS, CERTIFICATE…) are skipped or refused. */
const PRIVATE_KEY_LABELS = new Set([
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
]);

export interface LoadKeyOptions {
  /** A name for the input in error messages (usually the file path). */
  source: string;
  /** Asked only if the key is encrypted. */
  passphrase?: PassphraseProvider;
}

/**
 * Reads a private key in any form openssl writes: PKCS#8 (plain or encrypted), PKCS#1, SEC1,
 * legacy Proc-Type encrypted PEM, or DER of any of those.
 */
export async function loadPrivateKey(
  data: Uint8Array,
  options: LoadKeyOptions,
): Promise<KeyObject> {
  const { source } = options;
  if (looksLikePem(data)) {
    const block = privateKeyBlock(decodePem(Buffer.from(data).toString('utf8'), source), source);
    const pem = block.text;
    const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || 'Proc-Type' in block.headers;
    if (!encrypted) return createKey(() => createPrivateKey({ key: pem, format: 'pem' }), source);
    const passphrase = await askPassphrase(options);
    return createKey(() => createPrivateKey({ key: pem, format: 'pem', passphrase }), source);
  }
  return loadDerPrivateKey(Buffer.from(data), options);
}

async function loadDerPrivateKey(der: Buffer, options: LoadKeyOptions): Promise<KeyObject> {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch (error) {
      if (errorCode(error) === 'ERR_MISSING_PASSPHRASE') {
        const passphrase = await askPassphrase(options);
        return createKey(
          () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase }),
          options.source,
        );
      }
    }
  }
  throw new InputError(`${options.source} is not a private key (PEM or DER)`);
}

function privateKeyBlock(blocks: PemBlock[], source: string): PemBlock {
  const block = blocks.find((candidate) => PRIVATE_KEY_LABELS.has(candidate.label));
  if (block) return block;
  const found = blocks.map((candidate) => candidate.label).join(', ') || 'no PEM block';
  throw new InputError(`${source} holds ${found}, not a private key`);
}

async function askPassphrase(options: LoadKeyOptions): Promise<string> {
  if (!options.passphrase) {
    throw new UsageError(`${options.source} is encrypted`, {
      hint: 'give its passphrase with --passin',
    });
  }
  return options.passphrase(`passphrase for ${options.source}`);
}

function createKey(create: () => KeyObject, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = create();
  } catch (error) {
    if (isBadDecrypt(error))
      throw new WrongPassphraseError(`wrong passphrase for ${source}`, { cause: error });
    throw new InputError(`${source} is not a valid private key`, { cause: error });
  }
  describeKey(key);
  return key;
}

function isBadDecrypt(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  const message = error instanceof Error ? error.message : '';
  return code.includes('BAD_DECRYPT') || /bad decrypt|unsupported|wrong password/i.test(message);
}

/** Reads an SPKI public key (PEM or DER), or derives the public half of a private key. */
export function loadPublicKey(data: Uint8Array, source: string): KeyObject {
  try {
    const key = looksLikePem(data)
      ? createPublicKey({ key: Buffer.from(data).toString('utf8'), format: 'pem' })
      : createPublicKey({ key: Buffer.from(data), format: 'der', type: 'spki' });
    describeKey(key);
    return key;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${source} is not a valid public key`, { cause: error });
  }
}

/** True when the private key is the other half of the public key. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const derived = publicKeyOf(privateKey).export({ type: 'spki', format: 'der' });
  return derived.equals(publicKey.export({ type: 'spki', format: 'der' }));
}

/** The public half of a key (Node refuses createPublicKey() on a key that is already public). */
export function publicKeyOf(key: KeyObject): KeyObject {
  return key.type === 'public' ? key : createPublicKey(key);
}
