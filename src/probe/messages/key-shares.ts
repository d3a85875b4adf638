import { createECDH, generateKeyPairSync } from 'node:crypto';
import { InternalError } from '../../errors.js';
import { NamedGroup } from '../registry/groups.js';
import type { KeyShareEntry } from './client-extensions.js';

/** The groups a scan can send a genuine key share for. */
export const KEY_SHARE_GROUPS = [
  NamedGroup.x25519,
  NamedGroup.secp256r1,
  NamedGroup.secp384r1,
  NamedGroup.secp521r1,
  NamedGroup.x448,
] as const;

const NIST_CURVES = new Map<number, string>([
  [NamedGroup.secp256r1, 'prime256v1'],
  [NamedGroup.secp384r1, 'secp384r1'],
  [NamedGroup.secp521r1, 'secp521r1'],
]);

/**
 * Real ephemeral public values for key_share (RFC 8446 §4.2.8.2): X25519 and X448 as raw 32/56
 * bytes, NIST curves as uncompressed points (RFC 8446 §4.2.8.2). Servers validate shares, so they
 * must be genuine even though a scan never finishes the handshake. The private halves are dropped.
 */
export function generateKeyShare(group: number): KeyShareEntry {
  if (group === NamedGroup.x25519 || group === NamedGroup.x448) {
    const { publicKey } =
      group === NamedGroup.x25519 ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    const jwk = publicKey.export({ format: 'jwk' });
    return { group, keyExchange: Uint8Array.from(Buffer.from(jwk.x as string, 'base64url')) };
  }
  const curve = NIST_CURVES.get(group);
  if (!curve) throw new InternalError(`no key share generator for group ${group}`);
  return { group, keyExchange: Uint8Array.from(createECDH(curve).generateKeys()) };
}
