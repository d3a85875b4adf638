import type { FileWriter } from '../../io/atomic-write.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { UsageError } from '../../errors.js';
import type { StarttlsProtocol } from '../starttls/index.js';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** Everything `tlskit connect` can do, as one options object (the flags map onto it). */
export interface ConnectOptions {
  /** Host name or IP address; default "localhost". Ignored with `unixPath`. */
  host?: string;
  /** TCP port; required unless `unixPath` is given. */
  port?: number;
  /** A Unix domain socket instead of TCP. */
  unixPath?: string;
  /**
   * The name sent as SNI and verified against the certificate. Default: `host` unless it is an
   * IP address (RFC 6066 §3 forbids IP addresses in SNI; the certificate is then checked for the
   * IP). `false` sends no SNI.
   */
  servername?: string | false;

  /** Trusted CA certificates (PEM text); default Node's bundled Mozilla roots. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** A PEM file of trusted CA certificates (read at connect time). */
  caFile?: string;
  /** Do not reject an unverified server; the summary still says why it is unverified. */
  insecure?: boolean;

  /** Client certificate (PEM; may hold the chain, leaf first) and its private key. */
  cert?: string | Buffer;
  certFile?: string;
  key?: string | Buffer;
  /** Default: the certificate file, when it also holds the key. */
  keyFile?: string;
  /** Or a PKCS#12 file with both. */
  pfx?: Buffer;
  pfxFile?: string;
  /** Asked only when the key or PKCS#12 is encrypted. */
  passphrase?: PassphraseProvider;

  /** OpenSSL cipher list (TLS 1.2 names and TLS 1.3 suites alike, as node:tls takes them). */
  ciphers?: string;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** ALPN protocols to offer, in order of preference. */
  alpn?: readonly string[];
  /** Key-exchange groups to offer, colon-separated (`X25519:P-256`). */
  ecdhCurve?: string;
  /** Bytes per TLS record the client sends (512 to 16384). */
  maxSendFragment?: number;

  /** Speak this protocol's plain-text upgrade dialogue before the handshake. */
  starttls?: StarttlsProtocol;
  /** The name the STARTTLS dialogue announces (SMTP EHLO, XMPP to=); default see requestStarttls. */
  starttlsName?: string;

  /** Resume this session (`getSession()` / 'session' bytes, DER). */
  session?: Buffer;
  /** Resume the session in this file (PEM "SSL SESSION PARAMETERS" or DER, as openssl writes). */
  sessionFile?: string;
  /** Save the last session the server gave here (0600: it holds the master secret). */
  sessionOutFile?: string;
  /** Overwrite an existing `sessionOutFile`. */
  force?: boolean;
  /** Reconnect this many times after the first connection, offering the latest session. */
  reconnect?: number;

  /** Ask the server to staple an OCSP response, and describe it. */
  requestOcsp?: boolean;
  /** Renegotiate once after the handshake (TLS 1.2 and older only). */
  renegotiate?: boolean;

  /** Append the NSS key log (SSLKEYLOGFILE format, for Wireshark) to this file (0600). */
  keylogFile?: string;
  /** Each key log line as it is produced. */
  onKeylog?: (line: Buffer) => void;

  /** Send this once connected. */
  send?: string | Buffer;
  /** Then wait until what the server sent matches this (or it closes, or the time is up). */
  expect?: RegExp;

  /**
   * Limit for connecting, the STARTTLS dialogue and the handshake together (each connection),
   * and again for the --send/--expect exchange. Default 10 s. node:tls has none of its own.
   */
  timeoutMs?: number;
  /** Writes the session file; default the atomic, no-clobber writer. */
  writeFiles?: FileWriter;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** RFC 6066 §4: 2^9 to 2^14; node:tls's setMaxSendFragment accepts the same range. */
export const MIN_SEND_FRAGMENT = 512;
export const MAX_SEND_FRAGMENT = 16384;

/** Reads "1.2", "tls1.2", "TLSv1.2" (any case) as a version name node:tls knows. */
export function parseTlsVersion(text: string, flag = '--min-version'): TlsVersion {
  const match = /^(?:tls)?v?1(?:\.([0-3]))?$/i.exec(text.trim());
  const minor = match ? Number(match[1] ?? '0') : undefined;
  if (minor === undefined) {
    throw new UsageError(`${flag}: "${text}" is not a TLS version`, {
      hint: 'use 1.0, 1.1, 1.2 or 1.3',
    });
  }
  return minor === 0 ? 'TLSv1' : (`TLSv1.${minor}` as TlsVersion);
}

/**
 * Bytes for --send, with the escapes a shell makes awkward: \r, \n, \t, \0, \\ and \xHH (a
 * raw byte). Other text is UTF-8. Anything else after a backslash is refused rather than guessed.
 */
export function decodeSendText(text: string): Buffer {
  const simple: Record<string, number> = { r: 0x0d, n: 0x0a, t: 0x09, '0': 0x00, '\\': 0x5c };
  const parts: Buffer[] = [];
  let rest = text;
  for (let slash = rest.indexOf('\\'); slash !== -1; slash = rest.indexOf('\\')) {
    parts.push(Buffer.from(rest.slice(0, slash), 'utf8'));
    const hex = /^x([0-9a-fA-F]{2})/.exec(rest.slice(slash + 1));
    const code = rest.charAt(slash + 1);
    const byte = hex ? parseInt(hex[1] ?? '', 16) : simple[code];
    if (byte === undefined) {
      throw new UsageError(`--send: unknown escape "\\${code}"`, {
        hint: 'use \\r, \\n, \\t, \\0, \\\\ or \\xHH',
      });
    }
    parts.push(Buffer.from([byte]));
    rest = rest.slice(slash + (hex ? 4 : 2));
  }
  parts.push(Buffer.from(rest, 'utf8'));
  return Buffer.concat(parts);
}

/** A user's --expect pattern, compiled once; a bad pattern is a usage error. */
export function parseExpectPattern(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new UsageError(`--expect: ${(error as Error).message}`, { cause: error });
  }
}
