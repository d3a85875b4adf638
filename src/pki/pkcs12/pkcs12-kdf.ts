import { createHash, hash as digestOf } from 'node:crypto';
import type { HashAlgorithm } from './algorithms.js';

/**
 * RFC 7292 appendix B.3: the ID byte says what the derived bytes are for, so one password and
 * salt give unrelated encryption keys, IVs and MAC keys.
 */
export const Pkcs12KeyPurpose = {
  encryptionKey: 1,
  iv: 2,
  macKey: 3,
} as const;

export type Pkcs12KeyPurposeValue = (typeof Pkcs12KeyPurpose)[keyof typeof Pkcs12KeyPurpose];

/**
 * The PKCS#12 key-derivation function (RFC 7292 appendix B.2). Node has PBKDF2 but not this,
 * which the PKCS#12 MAC uses (even in OpenSSL 3's default files) and so do the legacy 3DES and
 * RC2 schemes. `password` is already in its PKCS#12 form (see bmpPassword).
 */
export function derivePkcs12Key(
  hash: HashAlgorithm,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  purpose: Pkcs12KeyPurposeValue,
  length: number,
): Buffer {
  const { blockBytes: v, outputBytes: u } = hash;
  const diversifier = Buffer.alloc(v, purpose);
  // I = S || P, each repeated to a whole number of v-byte blocks (empty stays empty).
  const input = Buffer.concat([repeatToBlocks(salt, v), repeatToBlocks(password, v)]);
  const count = Math.ceil(length / u);
  const blocks: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    let digest = createHash(hash.name).update(diversifier).update(input).digest();
    // The one-shot hash() skips a Hash object per round: half the time over 2048 rounds.
    for (let round = 1; round < iterations; round++) digest = digestOf(hash.name, digest, 'buffer');
    blocks.push(digest);
    if (index + 1 < count) addToEachBlock(input, repeatToBlocks(digest, v), v);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** `data` repeated to fill ceil(length / v) blocks of v bytes. */
function repeatToBlocks(data: Uint8Array, v: number): Buffer {
  const output = Buffer.alloc(v * Math.ceil(data.length / v));
  for (let index = 0; index < output.length; index++) {
    output[index] = data[index % data.length] as number;
  }
  return output;
}

/** Step 6C: each v-byte block I_j of I becomes (I_j + B + 1) mod 2^(8v), big-endian. */
function addToEachBlock(input: Buffer, block: Buffer, v: number): void {
  for (let start = 0; start < input.length; start += v) {
    let carry = 1;
    for (let index = v - 1; index >= 0; index--) {
      const sum = (input[start + index] as number) + (block[index] as number) + carry;
      input[start + index] = sum & 0xff;
      carry = sum >>> 8;
    }
  }
}
