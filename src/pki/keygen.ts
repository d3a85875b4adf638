import { createHash } from 'node:crypto';
import {
  describeKey,
  encodePrivateKey,
  encodePublicKey,
  generateKeyPair,
  type KeyDescription,
  type KeySpec,
} from './keys.js';

export interface KeygenOptions extends KeySpec {
  format: 'pem' | 'der';
  traditional?: boolean;
  /** Encrypts the private key (PKCS#8 PBES2) when given. */
  passphrase?: string;
}

export interface KeygenResult {
  key: KeyDescription;
  format: 'pem' | 'der';
  encoding: 'pkcs8' | 'pkcs1' | 'sec1';
  encrypted: boolean;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex: identifies the key without revealing it. */
  publicKeySha256: string;
  privateKey: Buffer;
  publicKey: Buffer;
}

/** Generates a key pair and encodes both halves as asked. */
export async function keygen(options: KeygenOptions): Promise<KeygenResult> {
  const { privateKey, publicKey } = await generateKeyPair(options);
  const key = describeKey(privateKey);
  return {
    key,
    format: options.format,
    encoding: options.traditional ? (key.type === 'rsa' ? 'pkcs1' : 'sec1') : 'pkcs8',
    encrypted: options.passphrase !== undefined,
    publicKeySha256: createHash('sha256').update(encodePublicKey(publicKey, 'der')).digest('hex'),
    privateKey: encodePrivateKey(privateKey, {
      format: options.format,
      traditional: options.traditional,
      passphrase: options.passphrase,
    }),
    publicKey: encodePublicKey(publicKey, options.format),
  };
}
