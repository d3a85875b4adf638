import { createECDH, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyShareEntry } from '../../../../src/probe/messages/client-extensions.js';
import type { HelloEntropy } from '../../../../src/probe/scanners/probe-hello.js';

/**
 * Fixed "randomness" for byte-exact golden hellos: counting bytes for random and session id, and
 * key shares from fixed private keys, so the public values are still genuine curve points.
 */
export function deterministicEntropy(): HelloEntropy {
  return {
    randomness: () => ({ random: counting(0x00, 32), sessionId: counting(0xe0, 32) }),
    keyShare: (group) => fixedKeyShare(group),
    challenge: () => counting(0xc0, 16),
  };
}

function counting(start: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (start + index) & 0xff);
}

const PKCS8_PREFIX: Record<number, string> = {
  0x001d: '302e020100300506032b656e04220420',
  0x001e: '3046020100300506032b656f043a0438',
};
const NIST: Record<number, string> = { 0x0017: 'prime256v1', 0x0018: 'secp384r1' };
const NIST_BYTES: Record<number, number> = { 0x0017: 32, 0x0018: 48 };

function fixedKeyShare(group: number): KeyShareEntry {
  const prefix = PKCS8_PREFIX[group];
  if (prefix) {
    const length = group === 0x001d ? 32 : 56;
    const der = Buffer.concat([Buffer.from(prefix, 'hex'), Buffer.alloc(length, 0x42)]);
    const publicKey = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    const x = publicKey.export({ format: 'jwk' }).x as string;
    return { group, keyExchange: Uint8Array.from(Buffer.from(x, 'base64url')) };
  }
  const curve = NIST[group];
  if (!curve) throw new Error(`no fixed key share for group ${group}`);
  const ecdh = createECDH(curve);
  ecdh.setPrivateKey(Buffer.alloc(NIST_BYTES[group] as number, 0x11));
  return { group, keyExchange: Uint8Array.from(ecdh.getPublicKey()) };
}
