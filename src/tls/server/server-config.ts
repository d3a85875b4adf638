import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { createSecureContext, type SecureVersion } from 'node:tls';
import { InputError, messageOf, UsageError } from '../../errors.js';
import { decodePem, looksLikePem, readDerHeader } from '../../io/pem.js';
import {
  readIdentityPair,
  resolveIdentity,
  type IdentitySummary,
  type ServedIdentity,
} from './identity.js';
import { certificatesPem, readCertificates, readFileInput } from './inputs.js';
import { readOcspResponse } from './ocsp.js';
import {
  CIPHER_PRESETS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_MIN_VERSION,
  DEFAULT_PORT,
  TLS_VERSIONS,
  type FileInput,
  type ServerMode,
  type ServerOptions,
  type ServerStarttlsProtocol,
  isServerStarttlsProtocol,
} from './options.js';
import { resolveTicketKeys } from './ticket-keys.js';
import { secureContextOptions } from './tls-options.js';

/** A certificate served for matching SNI names. */
export interface SniConfig {
  servername: string;
  keyPem: string;
  certPem: string;
  summary: IdentitySummary;
}

/**
 * ServerOptions with every file read, every secret decrypted and every value checked: plain
 * data (buffers as base64), so the primary resolves it once and hands it to each worker.
 */
export interface ServerConfig {
  host: string;
  port: number;
  identity: ServedIdentity;
  identities: IdentitySummary[];
  caPem: string;
  mode: ServerMode | 'custom';
  /** PEM bundles. */
  ca: string[];
  crl: string[];
  requestCert: boolean;
  rejectUnauthorized: boolean;
  /** null: Node's default list. */
  ciphers: string | null;
  ecdhCurve: string | null;
  sigalgs: string | null;
  /** 'auto' or PEM. */
  dhparam: string | null;
  handshakeTimeout: number;
  honorCipherOrder: boolean;
  minVersion: SecureVersion;
  maxVersion: SecureVersion | null;
  alpnProtocols: string[];
  sni: SniConfig[];
  sessionTimeout: number | null;
  /** null when tickets are off. */
  ticketKeysBase64: string | null;
  sessionStore: boolean;
  ocspResponseBase64: string | null;
  maxConnections: number | null;
  keylog: string | null;
  trace: boolean;
  once: boolean;
  workers: number;
  starttls: ServerStarttlsProtocol | null;
  /** Ties sessions to this configuration, the same in every worker. */
  sessionIdContext: string;
}

/** 16 processes per core on the biggest machines anyone runs a test server on is plenty. */
const MAX_WORKERS = 256;
/** RFC 7301 §3.1: a protocol name is 1 to 255 bytes. */
const MAX_ALPN_NAME_BYTES = 255;
/** SSL_MAX_SID_CTX_LENGTH. */
const SESSION_ID_CONTEXT_CHARS = 32;
const HTTP_ALPN = ['h2', 'http/1.1'];

/**
 * Reads and checks everything a server needs before it listens, so a mistake is one clear error
 * at start-up rather than a failed handshake later.
 */
export async function resolveServerConfig(
  options: ServerOptions,
  now: Date = new Date(),
): Promise<ServerConfig> {
  const host = options.host ?? DEFAULT_HOST;
  const port = checkInteger(options.port ?? DEFAULT_PORT, '--port', 0, 0xffff);
  const workers = checkInteger(options.workers ?? 1, '--workers', 1, MAX_WORKERS);
  if (workers > 1 && options.onSecureConnection) {
    throw new UsageError('a connection handler cannot run in worker processes', {
      hint: 'use mode echo or http with workers, or one process with your handler',
    });
  }
  if (options.starttls !== undefined && !isServerStarttlsProtocol(options.starttls)) {
    throw new UsageError(`--starttls ${String(options.starttls)} has no server dialogue`, {
      hint: 'a tlskit server speaks smtp, imap, pop3, ftp and postgres',
    });
  }
  const mode = options.onSecureConnection ? 'custom' : (options.mode ?? 'echo');
  const identity = await resolveIdentity({
    identities: options.identities,
    pfx: options.pfx,
    passphrase: options.passphrase,
    selfSigned: options.selfSigned,
    host,
    now,
  });
  const sni = await Promise.all(
    (options.sni ?? []).map(async (entry) => {
      const servername = checkServername(entry.servername);
      const pair = await readIdentityPair(entry, options.passphrase);
      return {
        servername,
        keyPem: pair.keyPem,
        certPem: pair.certPem,
        summary: pair.summary,
      };
    }),
  );
  const tickets = options.tickets ?? true;
  const rejectUnauthorized = options.rejectUnauthorized ?? false;
  const config: ServerConfig = {
    host,
    port,
    identity: identity.served,
    identities: identity.summaries,
    caPem: identity.caPem,
    mode,
    ca: await Promise.all((options.ca ?? []).map(readCaBundle)),
    crl: await Promise.all((options.crl ?? []).map(readCrl)),
    requestCert: (options.requestCert ?? false) || rejectUnauthorized,
    rejectUnauthorized,
    ciphers: resolveCiphers(options.ciphers),
    ecdhCurve: options.ecdhCurve ?? null,
    sigalgs: options.sigalgs ?? null,
    dhparam: options.dhparam === undefined ? null : await readDhparam(options.dhparam),
    handshakeTimeout: checkInteger(
      options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      '--handshake-timeout',
      1,
      2 ** 31 - 1,
    ),
    honorCipherOrder: options.honorCipherOrder ?? false,
    minVersion: checkVersion(options.minVersion ?? DEFAULT_MIN_VERSION, '--min-version'),
    maxVersion:
      options.maxVersion === undefined ? null : checkVersion(options.maxVersion, '--max-version'),
    alpnProtocols: checkAlpn(options.alpnProtocols ?? (mode === 'http' ? HTTP_ALPN : [])),
    sni,
    sessionTimeout:
      options.sessionTimeout === undefined
        ? null
        : checkInteger(options.sessionTimeout, '--session-timeout', 1, 2 ** 31 - 1),
    ticketKeysBase64: tickets
      ? (await resolveTicketKeys(options.ticketKeys)).toString('base64')
      : null,
    sessionStore: options.sessionStore ?? false,
    ocspResponseBase64:
      options.ocspResponse === undefined
        ? null
        : (await readOcspResponse(options.ocspResponse)).toString('base64'),
    maxConnections:
      options.maxConnections === undefined
        ? null
        : checkInteger(options.maxConnections, '--max-connections', 1, 2 ** 31 - 1),
    keylog: options.keylog ?? null,
    trace: options.trace ?? false,
    once: options.once ?? false,
    workers,
    starttls: options.starttls ?? null,
    sessionIdContext: '',
  };
  if (!tickets && options.ticketKeys !== undefined) {
    throw new UsageError('--ticket-keys and --no-tickets contradict each other', {
      hint: 'drop one of them',
    });
  }
  if (
    config.maxVersion &&
    TLS_VERSIONS.indexOf(config.maxVersion) < TLS_VERSIONS.indexOf(config.minVersion)
  ) {
    throw new UsageError(
      `--max-version ${config.maxVersion} is below --min-version ${config.minVersion}`,
    );
  }
  config.sessionIdContext = sessionIdContextOf(config);
  checkWithOpenssl(config);
  return config;
}

// ---------------------------------------------------------------------------------------------

function checkInteger(value: number, flag: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} ${value} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function checkVersion(version: string, flag: string): SecureVersion {
  if (!(TLS_VERSIONS as readonly string[]).includes(version)) {
    throw new UsageError(`${flag} ${version} is not a TLS version`, {
      hint: `use one of ${TLS_VERSIONS.join(', ')}`,
    });
  }
  return version as SecureVersion;
}

function checkAlpn(protocols: readonly string[]): string[] {
  for (const protocol of protocols) {
    const bytes = Buffer.byteLength(protocol);
    if (bytes === 0 || bytes > MAX_ALPN_NAME_BYTES) {
      throw new UsageError(`--alpn "${protocol}" is not a protocol name (1 to 255 bytes)`, {
        hint: 'e.g. --alpn h2,http/1.1',
      });
    }
  }
  return [...protocols];
}

/** A host name or a wildcard (`*.example.com`), as server.addContext matches them. */
function checkServername(name: string): string {
  if (
    isIP(name) ||
    !/^(\*\.)?[a-z0-9*]([a-z0-9*-]*[a-z0-9*])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(name)
  ) {
    throw new UsageError(`--sni "${name}" is not a host name`, {
      hint: 'give HOST=CERT,KEY with a DNS name such as api.example.com or *.example.com (SNI never carries IP addresses)',
    });
  }
  return name.toLowerCase();
}

function resolveCiphers(ciphers: string | undefined): string | null {
  if (ciphers === undefined) return CIPHER_PRESETS.intermediate;
  if (ciphers in CIPHER_PRESETS)
    return CIPHER_PRESETS[ciphers as keyof typeof CIPHER_PRESETS] ?? null;
  if (ciphers.trim() === '') {
    throw new UsageError('--ciphers is empty', {
      hint: 'give intermediate, node-default or an OpenSSL cipher string',
    });
  }
  return ciphers;
}

async function readCaBundle(input: FileInput): Promise<string> {
  return certificatesPem(readCertificates(await readFileInput(input, 'CA certificates')));
}

async function readCrl(input: FileInput): Promise<string> {
  const { data, source } = await readFileInput(input, 'CRL');
  if (!looksLikePem(data)) {
    throw new InputError(`${source} is not a PEM CRL`, {
      hint: 'node:tls takes CRLs in PEM (-----BEGIN X509 CRL-----)',
    });
  }
  const blocks = decodePem(data.toString('utf8'), source).filter(
    (block) => block.label === 'X509 CRL',
  );
  if (blocks.length === 0) {
    throw new InputError(`${source} holds no CRL`, {
      hint: 'give -----BEGIN X509 CRL----- blocks',
    });
  }
  return blocks.map((block) => block.text).join('\n');
}

/**
 * 'auto' or DH parameters in PEM. Node silently ignores parameters it cannot parse (then DHE
 * suites just disappear), so the framing is checked here: a SEQUENCE of two INTEGERs.
 */
async function readDhparam(input: FileInput | 'auto'): Promise<string> {
  if (input === 'auto') return 'auto';
  const { data, source } = await readFileInput(input, 'DH parameters');
  const block = looksLikePem(data)
    ? decodePem(data.toString('utf8'), source).find((found) => found.label === 'DH PARAMETERS')
    : undefined;
  const hint = 'make them with `openssl dhparam -out dhparam.pem 2048`, or say auto';
  if (!block) throw new InputError(`${source} holds no DH PARAMETERS block`, { hint });
  const sequence = readDerHeader(block.der);
  const prime = sequence && readDerHeader(block.der, sequence.contentStart);
  const generator = prime && readDerHeader(block.der, prime.end);
  if (
    sequence?.tag !== 0x30 ||
    prime?.tag !== 0x02 ||
    generator?.tag !== 0x02 ||
    generator.end > block.der.length
  ) {
    throw new InputError(`${source}: the DH parameters are malformed`, { hint });
  }
  return block.text;
}

function sessionIdContextOf(config: ServerConfig): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(config.identities.map((identity) => identity.fingerprint256)));
  hash.update(JSON.stringify([config.requestCert, config.rejectUnauthorized, config.ca]));
  return hash.digest('hex').slice(0, SESSION_ID_CONTEXT_CHARS);
}

/** Lets OpenSSL judge what only it can (cipher strings, curve names, DH sizes, CRLs) now. */
function checkWithOpenssl(config: ServerConfig): void {
  try {
    createSecureContext(secureContextOptions(config));
  } catch (error) {
    throw explainContextError(error, config);
  }
}

function explainContextError(error: unknown, config: ServerConfig): InputError | UsageError {
  const message = messageOf(error);
  if (/cipher/i.test(message)) {
    return new UsageError(`--ciphers ${config.ciphers ?? ''}: ${message}`, {
      hint: 'see `openssl ciphers -v` for names; TLS 1.3 suites start with TLS_',
      cause: error,
    });
  }
  if (/ECDH curve/i.test(message)) {
    return new UsageError(`--ecdh-curve ${config.ecdhCurve ?? ''} is not a group OpenSSL knows`, {
      hint: 'e.g. X25519:P-256, or auto',
      cause: error,
    });
  }
  if (config.sigalgs !== null && !/cipher|ECDH curve|DH parameter|CRL/i.test(message)) {
    // OpenSSL gives no reason for a bad list ("error:00000000:lib(0)::reason(0)").
    return new UsageError(`--sigalgs ${config.sigalgs} is not a list OpenSSL accepts`, {
      hint: 'e.g. ECDSA+SHA256:RSA-PSS+SHA256:ed25519 (see openssl list -signature-algorithms)',
      cause: error,
    });
  }
  if (/DH parameter/i.test(message)) {
    return new InputError(`--dhparam: ${message}`, {
      hint: 'use at least 2048-bit parameters (openssl dhparam 2048), or auto',
      cause: error,
    });
  }
  if (/CRL/i.test(message)) {
    return new InputError(`--crl: ${message}`, { cause: error });
  }
  return new InputError(`the TLS configuration was refused: ${message}`, { cause: error });
}
