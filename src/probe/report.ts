/**
 * The probe report: `tlskit probe --json` prints exactly this, and probe-report.schema.json
 * describes it. Field names are an interface: add fields freely, but rename or retype one only
 * with a new `schemaVersion`.
 *
 * Conventions: protocol values and suite ids are hex strings (`0x0303`, `0xc02f`); suites go by
 * their IANA name; times are ISO 8601; a section that was not scanned is null, one that was
 * scanned and found nothing is an empty list.
 */
import type { Grade, GradeReason, Strength } from './rating.js';
import type { ProtocolName } from './registry/versions.js';

export const PROBE_REPORT_SCHEMA_VERSION = 1;

export interface ProbeReport {
  schemaVersion: typeof PROBE_REPORT_SCHEMA_VERSION;
  startedAt: string;
  durationMs: number;
  targets: TargetReport[];
  /** Present when --expect was given: true when every target met every expectation. */
  expectationsMet: boolean | null;
}

export interface TargetReport {
  /** The target as given, with the port made explicit (`example.com:443`). */
  target: string;
  host: string;
  port: number;
  /** The SNI name sent, null for none. */
  serverName: string | null;
  starttls: string | null;
  /** `unreachable`: no connection could be made; the sections are then empty. */
  status: 'scanned' | 'unreachable';
  error: string | null;
  durationMs: number;
  /** ClientHellos sent to this target (node:tls handshakes included). */
  clientHellos: number;
  protocols: ProtocolReport[];
  cipherSuites: CipherSuitesReport[] | null;
  keyExchange: KeyExchangeReport | null;
  certificates: CertificateChainReport[] | null;
  extras: ExtrasReport | null;
  rating: RatingReport;
  expectations: ExpectationResult[] | null;
  /** Probes that failed (time-outs, garbage, resets): the scan went on without them. */
  findings: Finding[];
}

export interface ProtocolReport {
  protocol: ProtocolName;
  version: string;
  /** null: the probe could not tell (see findings). */
  supported: boolean | null;
  /** What the server answered: `ServerHello`, `alert protocol_version`, `connection closed`… */
  evidence: string;
}

export interface CipherSuitesReport {
  protocol: ProtocolName;
  /** true: the server enforces its own order, and `suites` is in that order; null: not known (one suite, or SSLv2). */
  serverPreference: boolean | null;
  /** false when a probe failed before the server refused; `error` says why. */
  complete: boolean;
  error: string | null;
  suites: SuiteReport[];
}

export interface SuiteReport {
  /** Hex code point; six digits for SSLv2 cipher kinds. */
  id: string;
  /** IANA name (SSLv2: `SSL_CK_…`), or the hex id for a code point no registry knows. */
  name: string;
  openssl: string | null;
  kx: string;
  au: string;
  enc: string;
  mode: string;
  bits: number;
  mac: string;
  strength: Strength;
  reasons: string[];
}

export interface GroupReport {
  id: string;
  name: string;
  bits: number | null;
}

export interface GroupsReport {
  /** In the server's order when serverPreference is true. */
  groups: GroupReport[];
  serverPreference: boolean | null;
  complete: boolean;
  error: string | null;
}

export interface KeyExchangeReport {
  /** TLS 1.3 groups; null when TLS 1.3 is off. */
  tls13:
    | (GroupsReport & {
        /** How the server met an ordinary hello's X25519 and P-256 shares. */
        keyShareResponse: {
          offered: string[];
          answer: 'server-hello' | 'hello-retry-request';
          group: string | null;
        } | null;
      })
    | null;
  /** ECDHE curves for TLS ≤ 1.2, probed on `protocol`; null when no ECDHE suite is on. */
  ecdhe: (GroupsReport & { protocol: ProtocolName }) | null;
  /** The DH group of DHE suites; null when no DHE suite is on. */
  dhe: {
    protocol: ProtocolName;
    primeBits: number | null;
    group: string | null;
    error: string | null;
  } | null;
}

export interface CertificateReport {
  subject: string;
  issuer: string;
  serialNumber: string;
  subjectAltNames: string[];
  keyType: string;
  keyBits: number | null;
  curve: string | null;
  signatureAlgorithm: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
  selfSigned: boolean;
  fingerprint256: string;
}

export interface CertificateChainReport {
  /** The protocol of the handshake that delivered the chain. */
  protocol: string;
  /** `certificate-message`: the raw TLS ≤ 1.2 Certificate message, exactly as sent; `node-tls`: a full handshake (TLS 1.3 encrypts the chain). */
  via: 'certificate-message' | 'node-tls';
  /** The suites' authentication this chain serves (`RSA`, `ECDSA`…), or `any`. */
  authentication: string;
  /** As sent, leaf first. */
  chain: CertificateReport[];
  hostname: string;
  hostnameMatch: boolean;
  trust: { trusted: boolean; anchor: string | null; reason: string | null };
  ocsp: {
    stapled: boolean;
    responseStatus: string | null;
    certStatus: 'good' | 'revoked' | 'unknown' | null;
    nextUpdate: string | null;
  };
  error: string | null;
}

export interface ExtrasReport {
  /** The protocol whose hello the following fields come from; null when only TLS 1.3 (which encrypts them) is on. */
  basedOn: ProtocolName | null;
  secureRenegotiation: boolean | null;
  /** The server hands out session IDs (for resumption). */
  sessionIds: boolean | null;
  sessionTickets: boolean | null;
  compression: boolean | null;
  extendedMasterSecret: boolean | null;
  encryptThenMac: boolean | null;
  /** The server answered status_request (it staples OCSP responses). */
  ocspStapling: boolean | null;
  /** TLS_FALLBACK_SCSV honoured (inappropriate_fallback); null with fewer than two protocols. */
  fallbackScsv: boolean | null;
  /** A TLS 1.3 server marks TLS ≤ 1.2 ServerHello randoms against downgrades (RFC 8446 §4.1.3). */
  downgradeProtection: boolean | null;
  alpn: { offered: string[]; supported: string[]; complete: boolean; error: string | null } | null;
}

export interface RatingReport {
  /** `-` when no protocol was found or the cipher suites were not scanned. */
  grade: Grade;
  reasons: GradeReason[];
}

export interface ExpectationResult {
  /** The assertion as written (`minVersion=TLS1.2`). */
  expectation: string;
  passed: boolean;
  /** What the scan found, in the assertion's terms (`TLS1.0`). */
  actual: string;
}

export interface Finding {
  /** The scanner that met the problem: `protocols`, `ciphers`, `groups`, `certificates`, `extras`. */
  scanner: string;
  message: string;
}
