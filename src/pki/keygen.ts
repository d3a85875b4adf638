import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import {
  describeKey,
  encodePrivateKey,
  encodePublicKey,
  generateKeyPair,
  selectKeyStructure,
  type KeyDescription,
  type KeySpec,
  type KeyStructure,
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
  encoding: KeyStructure;
  encrypted: boolean;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex: identifies the key without revealing it. */
  publicKeySha256: string;
  privateKey: Buffer;
  publicKey: Buffer;
}

/**
 * Generates a key pair and encodes both halves as asked. Every option is checked before the
 * key is generated, so a bad combination fails at once rather than after seconds of RSA work.
 */
export async function keygen(options: KeygenOptions): Promise<KeygenResult> {
  checkSpecFitsType(options);
  const encoding = selectKeyStructure(options.type, options);
  const { privateKey, publicKey } = await generateKeyPair(options);
  const publicKeyDer = encodePublicKey(publicKey, 'der');
  return {
    key: describeKey(privateKey),
    format: options.format,
    encoding,
    encrypted: options.passphrase !== undefined,
    publicKeySha256: createHash('sha256').update(publicKeyDer).digest('hex'),
    privateKey: encodePrivateKey(privateKey, options),
    publicKey: options.format === 'der' ? publicKeyDer : encodePublicKey(publicKey, 'pem'),
  };
}

/** A size or curve for another key type would be silently ignored: say so instead. */
function checkSpecFitsType(spec: KeySpec): void {
  if (spec.bits !== undefined && spec.type !== 'rsa') {
    throw new UsageError(`--bits applies to RSA keys, not ${spec.type}`, {
      hint: spec.type === 'ec' ? 'choose the size with --curve' : 'drop --bits',
    });
  }
  if (spec.curve !== undefined && spec.type !== 'ec') {
    throw new UsageError(`--curve applies to EC keys, not ${spec.type}`, {
      hint: 'drop --curve, or add --type ec',
    });
  }
}
