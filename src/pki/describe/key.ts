import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { errorCode, InputError } from '../../errors.js';
import { encodePem, type PemBlock } from '../../io/pem.js';
import type { TreeNode } from '../../render/text-tree.js';
import {
  describeKey,
  loadPrivateKey,
  loadPublicKey,
  publicKeyOf,
  type KeyStructure,
  type LoadKeyOptions,
} from '../keys.js';
import type { DescribeOptions } from './describe-options.js';
import { colonHex, sha256Hex } from './format.js';
import {
  describeLegacyPemEncryption,
  describePkcs8Encryption,
  keyEncryptionText,
  type KeyEncryption,
} from './key-encryption.js';

/** What any key (or a certificate's or CSR's public key) is, without its secret parts. */
export interface KeyFacts {
  /** Node's name: `rsa`, `ec`, `ed25519`, `ed448`, `rsa-pss`, `dsa`… */
  keyType: string;
  bits: number | null;
  /** NIST name (`P-256`) for EC keys. */
  curve: string | null;
  publicExponent: number | null;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex: names the key pair without revealing it. */
  publicKeySha256: string;
}

export interface PrivateKeyDescription extends KeyFacts {
  kind: 'private-key';
  encoding: KeyStructure;
  encrypted: boolean;
  encryption: KeyEncryption | null;
}

/** The ASN.1 structure of a public key: SubjectPublicKeyInfo, or RSA's own (PKCS#1). */
export type PublicKeyStructure = 'spki' | 'pkcs1';

export interface PublicKeyDescription extends KeyFacts {
  kind: 'public-key';
  encoding: PublicKeyStructure;
  pem?: string;
}

/** The form of a DER private key, found by asking OpenSSL to read it each way openssl writes. */
export interface PrivateKeyForm {
  encoding: KeyStructure;
  encrypted: boolean;
}

export function keyFactsOf(key: KeyObject): KeyFacts {
  const publicKey = publicKeyOf(key);
  const details = publicKey.asymmetricKeyDetails ?? {};
  const known = knownKeyDescription(publicKey);
  return {
    keyType: publicKey.asymmetricKeyType ?? 'unknown',
    bits: known?.bits ?? details.modulusLength ?? null,
    curve: known?.curve ?? details.namedCurve ?? null,
    publicExponent: details.publicExponent === undefined ? null : Number(details.publicExponent),
    publicKeySha256: sha256Hex(publicKey.export({ type: 'spki', format: 'der' })),
  };
}

/** Describes one PEM private-key block, decrypting it (via `options.passphrase`) if it must. */
export async function describePrivateKeyBlock(
  block: PemBlock,
  options: LoadKeyOptions,
): Promise<PrivateKeyDescription> {
  const key = await loadPrivateKey(Buffer.from(block.text), options);
  const legacyEncrypted = 'Proc-Type' in block.headers;
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || legacyEncrypted;
  const encryption = legacyEncrypted
    ? describeLegacyPemEncryption(block.headers)
    : encrypted
      ? pkcs8EncryptionOf(block.der)
      : null;
  return {
    kind: 'private-key',
    ...keyFactsOf(key),
    encoding: PEM_ENCODINGS[block.label] ?? 'pkcs8',
    encrypted,
    encryption,
  };
}

/** Describes a DER private key whose form `privateKeyFormOf` found. */
export async function describePrivateKeyDer(
  der: Buffer,
  form: PrivateKeyForm,
  options: LoadKeyOptions,
): Promise<PrivateKeyDescription> {
  const key = await loadPrivateKey(der, options);
  return {
    kind: 'private-key',
    ...keyFactsOf(key),
    encoding: form.encoding,
    encrypted: form.encrypted,
    encryption: form.encrypted ? pkcs8EncryptionOf(der) : null,
  };
}

/** PKCS#8 (plain or encrypted), PKCS#1 or SEC1, or undefined when the DER is no private key. */
export function privateKeyFormOf(der: Buffer): PrivateKeyForm | undefined {
  for (const encoding of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type: encoding });
      return { encoding, encrypted: false };
    } catch (error) {
      if (errorCode(error) === 'ERR_MISSING_PASSPHRASE') return { encoding, encrypted: true };
    }
  }
  return undefined;
}

/** Describes a PEM PUBLIC KEY (SPKI) or RSA PUBLIC KEY (PKCS#1) block. */
export function describePublicKeyBlock(
  block: PemBlock,
  options: DescribeOptions,
): PublicKeyDescription {
  const key = loadPublicKey(Buffer.from(block.text), options.source);
  const encoding = block.label === 'RSA PUBLIC KEY' ? 'pkcs1' : 'spki';
  const description: PublicKeyDescription = { kind: 'public-key', ...keyFactsOf(key), encoding };
  if (options.includePem) description.pem = block.text;
  return description;
}

/** Describes a DER public key of the form `publicKeyEncodingOf` found. */
export function describePublicKeyDer(
  der: Buffer,
  encoding: PublicKeyStructure,
  options: DescribeOptions,
): PublicKeyDescription {
  const key = loadPublicKey(der, options.source);
  const description: PublicKeyDescription = { kind: 'public-key', ...keyFactsOf(key), encoding };
  if (options.includePem) {
    description.pem = encodePem(encoding === 'spki' ? 'PUBLIC KEY' : 'RSA PUBLIC KEY', der);
  }
  return description;
}

export function publicKeyEncodingOf(der: Buffer): PublicKeyStructure | undefined {
  for (const encoding of ['spki', 'pkcs1'] as const) {
    try {
      createPublicKey({ key: der, format: 'der', type: encoding });
      return encoding;
    } catch {
      // Not this form; try the next.
    }
  }
  return undefined;
}

/** `RSA 2048 bits, exponent 65537`, `EC P-256`, `Ed25519`. */
export function keyTypeText(
  facts: Pick<KeyFacts, 'keyType' | 'bits' | 'curve' | 'publicExponent'>,
): string {
  const name = KEY_TYPE_NAMES[facts.keyType] ?? facts.keyType.toUpperCase();
  if (facts.curve) return `${name} ${facts.curve}`;
  if (facts.keyType === 'ed25519' || facts.keyType === 'ed448') return name;
  const bits = facts.bits === null ? '' : ` ${facts.bits} bits`;
  const exponent = facts.publicExponent === null ? '' : `, exponent ${facts.publicExponent}`;
  return `${name}${bits}${exponent}`;
}

export function privateKeyTree(key: PrivateKeyDescription, heading: string): TreeNode {
  const encryption = key.encryption ? keyEncryptionText(key.encryption) : 'yes';
  return {
    label: heading,
    children: [
      { label: 'Type', value: keyTypeText(key) },
      { label: 'Format', value: ENCODING_TITLES[key.encoding] },
      key.encrypted
        ? {
            label: 'Encrypted',
            value: key.encryption?.weak
              ? `${encryption} (weak: re-encrypt as PKCS#8 PBES2)`
              : encryption,
            tone: key.encryption?.weak ? 'warning' : 'good',
          }
        : { label: 'Encrypted', value: 'no', tone: 'muted' },
      { label: 'Public key SHA-256', value: colonHex(key.publicKeySha256) },
    ],
  };
}

export function publicKeyTree(key: PublicKeyDescription, heading: string): TreeNode {
  return {
    label: heading,
    children: [
      { label: 'Type', value: keyTypeText(key) },
      { label: 'Format', value: ENCODING_TITLES[key.encoding] },
      { label: 'SHA-256', value: colonHex(key.publicKeySha256) },
    ],
  };
}

const PEM_ENCODINGS: Record<string, KeyStructure> = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
};

const ENCODING_TITLES: Record<KeyStructure | PublicKeyStructure, string> = {
  pkcs8: 'PKCS#8',
  pkcs1: 'PKCS#1',
  sec1: 'SEC1',
  spki: 'SubjectPublicKeyInfo',
};

const KEY_TYPE_NAMES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dsa: 'DSA',
  dh: 'DH',
};

/** tlskit's own description (NIST curve names, EdDSA sizes) where it knows the type. */
function knownKeyDescription(key: KeyObject): { bits: number; curve?: string } | undefined {
  try {
    return describeKey(key);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

/** The file decrypted, so its structure is sound; a scheme we cannot name is just unknown. */
function pkcs8EncryptionOf(der: Uint8Array): KeyEncryption | null {
  try {
    return describePkcs8Encryption(der);
  } catch {
    return null;
  }
}
