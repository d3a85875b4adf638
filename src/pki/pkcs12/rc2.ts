/**
 * RC2 (RFC 2268) in CBC mode, without padding: the cipher of pbeWithSHAAnd40BitRC2-CBC, which
 * `openssl pkcs12 -legacy` and old Windows, macOS and Java use for certificates. OpenSSL 3 keeps
 * RC2 in its legacy provider, which Node does not load, so it is written here from the RFC.
 */

/** RC2 works on 64-bit blocks. */
export const RC2_BLOCK_BYTES = 8;

/** Encrypts whole blocks (`data.length` a multiple of 8) in CBC mode. */
export function rc2CbcEncrypt(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
): Buffer {
  const expanded = expandKey(key, effectiveBits);
  const output = Buffer.alloc(checkedLength(data));
  let previous: Uint8Array = checkedIv(iv);
  for (let offset = 0; offset < data.length; offset += RC2_BLOCK_BYTES) {
    const block = new Uint8Array(RC2_BLOCK_BYTES);
    for (let index = 0; index < RC2_BLOCK_BYTES; index++) {
      block[index] = (data[offset + index] as number) ^ (previous[index] as number);
    }
    previous = encryptBlock(expanded, block);
    output.set(previous, offset);
  }
  return output;
}

/** Decrypts whole blocks (`data.length` a multiple of 8) in CBC mode. */
export function rc2CbcDecrypt(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
): Buffer {
  const expanded = expandKey(key, effectiveBits);
  const output = Buffer.alloc(checkedLength(data));
  let previous: Uint8Array = checkedIv(iv);
  for (let offset = 0; offset < data.length; offset += RC2_BLOCK_BYTES) {
    const block = data.subarray(offset, offset + RC2_BLOCK_BYTES);
    const plain = decryptBlock(expanded, block);
    for (let index = 0; index < RC2_BLOCK_BYTES; index++) {
      output[offset + index] = (plain[index] as number) ^ (previous[index] as number);
    }
    previous = block;
  }
  return output;
}

/** One block with the raw cipher (no chaining): what RFC 2268 section 5's test vectors check. */
export function rc2EncryptBlock(key: Uint8Array, effectiveBits: number, block: Uint8Array): Buffer {
  return Buffer.from(encryptBlock(expandKey(key, effectiveBits), checkedBlock(block)));
}

export function rc2DecryptBlock(key: Uint8Array, effectiveBits: number, block: Uint8Array): Buffer {
  return Buffer.from(decryptBlock(expandKey(key, effectiveBits), checkedBlock(block)));
}

// ---- the cipher -----------------------------------------------------------------------------

/** RFC 2268 section 2: "a random permutation" based on the digits of pi. */
// prettier-ignore
const PITABLE = Uint8Array.from([
  0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
  0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
  0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
  0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
  0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
  0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
  0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
  0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
  0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
  0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
  0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
  0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
  0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
  0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
  0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
  0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
]);

/** Keys of 1 to 128 bytes; the effective key length limits the search space (40 for RC2-40). */
const MAX_KEY_BYTES = 128;
const MAX_EFFECTIVE_BITS = 1024;
/** Rotation amounts of the mix step, s[0..3] in RFC 2268 section 3.1. */
const ROTATIONS = [1, 2, 3, 5] as const;
const WORD_MASK = 0xffff;

/** RFC 2268 section 2: 64 16-bit subkeys K[0..63] from the key and its effective bit length. */
function expandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  if (key.length < 1 || key.length > MAX_KEY_BYTES) {
    throw new RangeError(`RC2 keys are 1 to ${MAX_KEY_BYTES} bytes, not ${key.length}`);
  }
  if (!Number.isInteger(effectiveBits) || effectiveBits < 1 || effectiveBits > MAX_EFFECTIVE_BITS) {
    throw new RangeError(`RC2 effective key length ${effectiveBits} is out of range`);
  }
  const length = key.length;
  const effectiveBytes = Math.ceil(effectiveBits / 8);
  const mask = 0xff >> (8 * effectiveBytes - effectiveBits);
  const bytes = new Uint8Array(MAX_KEY_BYTES);
  bytes.set(key);
  for (let index = length; index < MAX_KEY_BYTES; index++) {
    bytes[index] = PITABLE[
      ((bytes[index - 1] as number) + (bytes[index - length] as number)) & 0xff
    ] as number;
  }
  const first = MAX_KEY_BYTES - effectiveBytes;
  bytes[first] = PITABLE[(bytes[first] as number) & mask] as number;
  for (let index = first - 1; index >= 0; index--) {
    bytes[index] = PITABLE[
      (bytes[index + 1] as number) ^ (bytes[index + effectiveBytes] as number)
    ] as number;
  }
  const words = new Uint16Array(MAX_KEY_BYTES / 2);
  for (let index = 0; index < words.length; index++) {
    words[index] = (bytes[2 * index] as number) | ((bytes[2 * index + 1] as number) << 8);
  }
  return words;
}

/** Section 3.3: five mixing rounds, a mashing round, six mixing, a mashing, five mixing. */
function encryptBlock(keyWords: Uint16Array, block: Uint8Array): Uint8Array {
  const words = toWords(block);
  let next = 0;
  const mixRounds = (count: number) => {
    for (let round = 0; round < count; round++) {
      for (let index = 0; index < 4; index++) {
        const sum =
          (words[index] as number) +
          (keyWords[next++] as number) +
          ((at(words, index - 1) & at(words, index - 2)) |
            (~at(words, index - 1) & at(words, index - 3) & WORD_MASK));
        words[index] = rotateLeft(sum & WORD_MASK, ROTATIONS[index] as number);
      }
    }
  };
  const mash = () => {
    for (let index = 0; index < 4; index++) {
      words[index] =
        ((words[index] as number) + (keyWords[at(words, index - 1) & 63] as number)) & WORD_MASK;
    }
  };
  mixRounds(5);
  mash();
  mixRounds(6);
  mash();
  mixRounds(5);
  return fromWords(words);
}

/** Section 4: the rounds of encryption undone in reverse order. */
function decryptBlock(keyWords: Uint16Array, block: Uint8Array): Uint8Array {
  const words = toWords(block);
  let next = keyWords.length - 1;
  const mixRounds = (count: number) => {
    for (let round = 0; round < count; round++) {
      for (let index = 3; index >= 0; index--) {
        const rotated = rotateRight(words[index] as number, ROTATIONS[index] as number);
        const term =
          (at(words, index - 1) & at(words, index - 2)) |
          (~at(words, index - 1) & at(words, index - 3) & WORD_MASK);
        words[index] = (rotated - (keyWords[next--] as number) - term) & WORD_MASK;
      }
    }
  };
  const mash = () => {
    for (let index = 3; index >= 0; index--) {
      words[index] =
        ((words[index] as number) - (keyWords[at(words, index - 1) & 63] as number)) & WORD_MASK;
    }
  };
  mixRounds(5);
  mash();
  mixRounds(6);
  mash();
  mixRounds(5);
  return fromWords(words);
}

/** R[i-1] etc. with the RFC's indices taken modulo 4. */
function at(words: Uint16Array, index: number): number {
  return words[(index + 4) % 4] as number;
}

function rotateLeft(word: number, bits: number): number {
  return ((word << bits) | (word >>> (16 - bits))) & WORD_MASK;
}

function rotateRight(word: number, bits: number): number {
  return ((word >>> bits) | (word << (16 - bits))) & WORD_MASK;
}

/** The block as four little-endian 16-bit words R[0..3]. */
function toWords(block: Uint8Array): Uint16Array {
  const words = new Uint16Array(4);
  for (let index = 0; index < 4; index++) {
    words[index] = (block[2 * index] as number) | ((block[2 * index + 1] as number) << 8);
  }
  return words;
}

function fromWords(words: Uint16Array): Uint8Array {
  const block = new Uint8Array(RC2_BLOCK_BYTES);
  for (let index = 0; index < 4; index++) {
    block[2 * index] = (words[index] as number) & 0xff;
    block[2 * index + 1] = (words[index] as number) >>> 8;
  }
  return block;
}

function checkedLength(data: Uint8Array): number {
  if (data.length % RC2_BLOCK_BYTES !== 0) {
    throw new RangeError('RC2-CBC data must be a whole number of 8-byte blocks');
  }
  return data.length;
}

function checkedIv(iv: Uint8Array): Uint8Array {
  if (iv.length !== RC2_BLOCK_BYTES) throw new RangeError('the RC2-CBC IV must be 8 bytes');
  return iv;
}

function checkedBlock(block: Uint8Array): Uint8Array {
  if (block.length !== RC2_BLOCK_BYTES) throw new RangeError('an RC2 block is 8 bytes');
  return block;
}
