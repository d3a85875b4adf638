import { CIPHER_SUITE_TABLE } from './suite-table.js';

/** One TLS cipher suite, in OpenSSL's words plus what they mean for security. */
export interface CipherSuite {
  /** The IANA code point, `0xC02F`; `unknown` for a name this table lacks. */
  id: string;
  /** `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` */
  iana: string;
  /** `ECDHE-RSA-AES128-GCM-SHA256` (Node's `ciphers` option takes this or, for TLS 1.3, iana) */
  openssl: string;
  /** The oldest protocol that defined it, as `openssl ciphers -v` prints it (SSLv3 … TLSv1.3). */
  protocol: string;
  /** Key exchange, authentication, encryption and MAC, as `openssl ciphers -v` prints them. */
  kx: string;
  au: string;
  enc: string;
  mac: string;
  /** An ephemeral key exchange: a stolen server key does not decrypt recorded sessions. */
  forwardSecrecy: boolean;
  /** Authenticated encryption (GCM, CCM, ChaCha20-Poly1305) rather than CBC with an HMAC. */
  aead: boolean;
  /** Weaknesses worth knowing, one short phrase each. */
  notes: string[];
}

/**
 * OpenSSL's key exchanges with fresh keys per connection: ECDH (always ECDHE since OpenSSL 1.1),
 * DH (DHE), their PSK forms, SRP (ephemeral values on both sides) and TLS 1.3's `any` (OpenSSL
 * offers only psk_dhe_ke for resumption).
 */
const EPHEMERAL_KEY_EXCHANGES = new Set(['ECDH', 'DH', 'ECDHEPSK', 'DHEPSK', 'SRP', 'any']);

/** Every suite of the table, by code point. */
export const CIPHER_SUITES: readonly CipherSuite[] = parseTable(CIPHER_SUITE_TABLE);

/** The suite with this code point; an `unknown` placeholder (named by its hex) otherwise. */
export function suiteById(id: number): CipherSuite {
  return BY_ID.get(id) ?? unknownSuite(hexId(id), hexId(id));
}

/** The suite with this OpenSSL or IANA name, in any case (Node's getCiphers() lower-cases). */
export function suiteByName(name: string): CipherSuite | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** A suite this table does not know (a newer OpenSSL's): its name or code point, nothing more. */
export function unknownSuite(id: string, name: string): CipherSuite {
  return {
    id,
    iana: name,
    openssl: name,
    protocol: 'unknown',
    kx: 'unknown',
    au: 'unknown',
    enc: 'unknown',
    mac: 'unknown',
    forwardSecrecy: false,
    aead: false,
    notes: ['not in tlskit’s table (a newer OpenSSL?)'],
  };
}

/** `0xC02F`: code points as IANA writes them. */
export function hexId(id: number): string {
  return `0x${id.toString(16).toUpperCase().padStart(4, '0')}`;
}

const BY_ID = new Map(CIPHER_SUITES.map((suite) => [Number(suite.id), suite]));
const BY_NAME = new Map(
  CIPHER_SUITES.flatMap((suite) => [
    [suite.openssl.toUpperCase(), suite],
    [suite.iana.toUpperCase(), suite],
  ]),
);

function parseTable(table: string): CipherSuite[] {
  return table
    .trim()
    .split('\n')
    .map((line) => {
      const [id, iana, openssl, protocol, kx, au, enc, mac] = line.trim().split(/\s+/) as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const suite = { id, iana, openssl, protocol, kx, au, enc, mac };
      const forwardSecrecy = EPHEMERAL_KEY_EXCHANGES.has(kx);
      const aead = mac === 'AEAD';
      return { ...suite, forwardSecrecy, aead, notes: notesOf(suite, forwardSecrecy, aead) };
    });
}

function notesOf(
  suite: { kx: string; au: string; enc: string; mac: string },
  forwardSecrecy: boolean,
  aead: boolean,
): string[] {
  const notes: string[] = [];
  if (suite.enc === 'None') notes.push('no encryption');
  if (suite.au === 'None') notes.push('no authentication (anonymous)');
  if (!forwardSecrecy) notes.push('no forward secrecy');
  if (!aead && suite.enc !== 'None') notes.push('CBC (MAC-then-encrypt)');
  if (suite.mac === 'MD5') notes.push('MD5 MAC');
  if (suite.enc.startsWith('AESCCM8')) notes.push('64-bit tag (CCM_8)');
  if (suite.kx.includes('PSK') || suite.au === 'PSK') notes.push('needs a pre-shared key');
  if (suite.kx === 'SRP') notes.push('SRP: Node has no SRP');
  return notes;
}
