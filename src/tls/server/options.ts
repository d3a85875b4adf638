import type { SecureVersion, TLSSocket } from 'node:tls';
import { UsageError } from '../../errors.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { mozillaCipherString } from '../ciphers/mozilla-presets.js';

/** A file to read (a path) or its contents already in memory. */
export type FileInput = string | Uint8Array;

/** One key and its certificate (chain): a server may hold several, e.g. RSA and ECDSA. */
export interface IdentityInput {
  key: FileInput;
  /** The leaf first, then any intermediates. */
  cert: FileInput;
}

/** A certificate served when the client's SNI name matches `servername` (`*.example.com` too). */
export interface SniInput extends IdentityInput {
  servername: string;
}

export const SERVER_MODES = ['echo', 'http'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

/** The STARTTLS dialogues a tlskit server speaks (XMPP and LDAP are client-side only). */
export const SERVER_STARTTLS_PROTOCOLS = ['smtp', 'imap', 'pop3', 'ftp', 'postgres'] as const;
export type ServerStarttlsProtocol = (typeof SERVER_STARTTLS_PROTOCOLS)[number];

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

/**
 * Mozilla's "intermediate" server configuration (guidelines 6.0): TLS 1.3's three suites, and
 * for TLS 1.2 only ECDHE with AES-GCM or ChaCha20-Poly1305. Node's own default ends in HIGH,
 * which also offers static-RSA, CBC-SHA1, CCM8 and ARIA suites.
 */
export const INTERMEDIATE_CIPHERS = mozillaCipherString('intermediate');

/** Named cipher choices; anything else is an OpenSSL cipher string. */
export const CIPHER_PRESETS = {
  intermediate: INTERMEDIATE_CIPHERS,
  /** Whatever this Node's tls.DEFAULT_CIPHERS is: reproduces a stock Node server. */
  'node-default': undefined,
} as const;
export type CipherPreset = keyof typeof CIPHER_PRESETS;

export const DEFAULT_PORT = 8000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MIN_VERSION: SecureVersion = 'TLSv1.2';
/** Node's own default (120 s) keeps a stalled client's socket for two minutes. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 120_000;

/**
 * Everything a tlskit server can be told: one field per `tlskit serve` flag. Files are paths or
 * contents; everything else is plain data, so the same options drive a server in this process
 * or in --workers processes.
 */
export interface ServerOptions {
  /** 0 (the default for startServer) picks a free port; `tlskit serve` defaults to DEFAULT_PORT. */
  port?: number;
  /** Default DEFAULT_HOST (loopback). */
  host?: string;

  /** Key/certificate pairs. With neither these nor `pfx`, an in-memory self-signed identity. */
  identities?: IdentityInput[];
  /** A PKCS#12 file holding the key, certificate and chain. */
  pfx?: FileInput;
  /** Asked only when a key or the PKCS#12 file turns out to be encrypted. */
  passphrase?: PassphraseProvider;
  /** Serve a fresh key and certificate for localhost, 127.0.0.1 and ::1, made in memory. */
  selfSigned?: boolean;

  /** What the server does once a connection is secure. Default 'echo'. */
  mode?: ServerMode;
  /** Your own handler instead of `mode` (a single process only). */
  onSecureConnection?: (socket: TLSSocket) => void;

  /** Trusted CAs for client certificates (PEM bundles). */
  ca?: FileInput[];
  /** Certificate revocation lists (PEM). */
  crl?: FileInput[];
  /** Ask the client for a certificate. */
  requestCert?: boolean;
  /** Refuse a client without a certificate that verifies against `ca` (implies requestCert). */
  rejectUnauthorized?: boolean;

  /** A CIPHER_PRESETS name or an OpenSSL cipher string (TLS 1.3 names too). Default intermediate. */
  ciphers?: string;
  /** Groups for key exchange, e.g. `X25519:P-256` (Node's default `auto`). */
  ecdhCurve?: string;
  /** Signature algorithms offered, e.g. `ECDSA+SHA256:RSA-PSS+SHA256` (OpenSSL's default). */
  sigalgs?: string;
  /** DH parameters (PEM) for DHE suites, or 'auto' for OpenSSL's built-in ones. */
  dhparam?: FileInput | 'auto';
  /** Milliseconds; a client that has not finished by then is cut off. Default 120 000. */
  handshakeTimeout?: number;
  /** Choose the cipher by the server's order rather than the client's. */
  honorCipherOrder?: boolean;
  /** Default TLSv1.2. */
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** ALPN protocols, most preferred first. Default none for echo, `h2, http/1.1` for http. */
  alpnProtocols?: string[];
  /** Certificates chosen by SNI name (server.addContext). */
  sni?: SniInput[];

  /** Seconds a session (ID or ticket) may be resumed for. Default OpenSSL's 300. */
  sessionTimeout?: number;
  /** 48 bytes: ticket name, HMAC key, AES key. Default random (shared by all workers). */
  ticketKeys?: FileInput;
  /** false: no session tickets (TLS 1.2 resumes by ID only, with `sessionStore`). */
  tickets?: boolean;
  /** Keep sessions in memory by ID (the newSession/resumeSession events). */
  sessionStore?: boolean;

  /** A DER OCSP response to staple when a client asks for the certificate status. */
  ocspResponse?: FileInput;
  /** Refuse connections beyond this many open ones. */
  maxConnections?: number;
  /** Append TLS secrets in NSS key log format (for Wireshark) to this file. */
  keylog?: string;
  /** Print OpenSSL's trace of every handshake message to standard error (Node's enableTrace). */
  trace?: boolean;
  /** Stop after the first connection has closed. */
  once?: boolean;
  /** Processes sharing the port (node:cluster). Default 1: this process alone. */
  workers?: number;
  /** Speak this protocol's plain-text greeting and upgrade to TLS when the client asks. */
  starttls?: ServerStarttlsProtocol;

  /** The clock, injected so tests pin times (event times, the self-signed certificate). */
  now?: () => Date;
}

export function isServerStarttlsProtocol(name: string): name is ServerStarttlsProtocol {
  return (SERVER_STARTTLS_PROTOCOLS as readonly string[]).includes(name);
}

/** `h2,http/1.1` → ['h2', 'http/1.1']; empty items are dropped. */
export function parseAlpnList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * `--sni HOST=CERT,KEY`: the certificate and key served for HOST (`*.example.com` allowed). The
 * last comma separates the two paths.
 */
export function parseSniSpec(text: string): SniInput {
  const equals = text.indexOf('=');
  const comma = text.lastIndexOf(',');
  const servername = text.slice(0, equals).trim();
  const cert = text.slice(equals + 1, comma).trim();
  const key = text.slice(comma + 1).trim();
  if (equals < 1 || comma < equals || !servername || !cert || !key) {
    throw new UsageError(`--sni "${text}" is not HOST=CERT,KEY`, {
      hint: 'e.g. --sni api.example.com=api.crt,api.key (repeat --sni for more names)',
    });
  }
  return { servername, cert, key };
}
