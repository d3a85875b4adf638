import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

/** One certificate the server presented (or that completed its chain from the trust store). */
export interface PeerCertificateSummary {
  /** OpenSSL's one-line form: "CN=localhost, O=Example". */
  subject: string;
  issuer: string;
  /** Upper-case hex, as `openssl x509 -serial` prints it. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Node's form: "DNS:localhost, IP Address:127.0.0.1". */
  subjectAltName: string | null;
  /** "EC P-256", "RSA 2048", "Ed25519". */
  publicKey: string;
  ca: boolean;
  selfIssued: boolean;
  fingerprint256: string;
  pem: string;
}

/** OpenSSL's curve names as NIST names them (FIPS 186-4 D.1.2). */
const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** Chains longer than this are not real (RFC 5280 paths are a handful of certificates). */
const MAX_CHAIN_LENGTH = 16;

/**
 * The peer's chain, leaf first: `getPeerCertificate(true)` links each certificate to its issuer,
 * and the root links to itself, so the walk stops at the first certificate seen before.
 */
export function peerChainOf(socket: TLSSocket): PeerCertificateSummary[] {
  const chain: PeerCertificateSummary[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && !seen.has(current.fingerprint256) && chain.length < MAX_CHAIN_LENGTH) {
    seen.add(current.fingerprint256);
    chain.push(summarizeCertificate(new X509Certificate(current.raw)));
    current = current.issuerCertificate;
  }
  return chain;
}

export function summarizeCertificate(certificate: X509Certificate): PeerCertificateSummary {
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    serialNumber: certificate.serialNumber.toUpperCase(),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    subjectAltName: certificate.subjectAltName ?? null,
    publicKey: describePublicKey(certificate),
    ca: certificate.ca,
    selfIssued: certificate.subject === certificate.issuer,
    fingerprint256: certificate.fingerprint256,
    pem: certificate.toString(),
  };
}

/** X509Certificate gives names one attribute per line. */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

function describePublicKey(certificate: X509Certificate): string {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `${key.asymmetricKeyType.toUpperCase()} ${details.modulusLength ?? '?'}`;
    case 'ec':
      return `EC ${CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve ?? 'unknown curve'}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}
