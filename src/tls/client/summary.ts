import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { StarttlsProtocol } from '../starttls/index.js';
import type { OcspSummary } from './ocsp.js';
import { peerChainOf, type PeerCertificateSummary } from './peer-chain.js';
import { describeSession, type SessionSummary } from './session.js';

/** What one handshake negotiated and what the client saw, in node:tls's terms. */
export interface HandshakeSummary {
  /** "127.0.0.1:4433", "[::1]:443" or "unix:/run/app.sock". */
  address: string;
  servername: string | null;
  starttls: StarttlsProtocol | null;
  /** "TLSv1.3", … */
  protocol: string | null;
  cipher: { name: string; standardName: string; version: string };
  /** The key exchange's ephemeral key: "ECDH" X25519 253 bits, "DH" 2048 bits. */
  ephemeralKey: { type: string; name: string | null; bits: number } | null;
  alpnProtocol: string | null;
  /** Whether the client offered a session to resume, and whether the server took it. */
  sessionOffered: boolean;
  resumed: boolean;
  /** The server's certificate verified (chain to a trusted root, and the host name). */
  authorized: boolean;
  /** Node's code when not: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID", … */
  authorizationError: string | null;
  /** The same in words, with the detail of a host-name mismatch. */
  authorizationReason: string | null;
  /** Leaf first, then each issuer (from the server, or completed from the trust store). */
  peerCertificates: PeerCertificateSummary[];
  /** The client certificate sent, if the server asked for one and we had one. */
  clientCertificate: { subject: string; fingerprint256: string } | null;
  /** Null unless OCSP stapling was requested. */
  ocsp: OcspSummary | null;
  /** The newest session the server gave on this connection (ticket or ID), for resumption. */
  session: SessionSummary | null;
  /** From starting the TCP connection to the end of the handshake (STARTTLS included). */
  connectMs: number;
  maxSendFragment: number | null;
}

export interface HandshakeContext {
  address: string;
  servername: string | null;
  starttls: StarttlsProtocol | null;
  sessionOffered: boolean;
  authorizationReason: string | null;
  ocsp: OcspSummary | null;
  session: Buffer | undefined;
  connectMs: number;
  maxSendFragment: number | null;
}

export function summarizeHandshake(socket: TLSSocket, context: HandshakeContext): HandshakeSummary {
  const cipher = socket.getCipher();
  const ephemeral = socket.getEphemeralKeyInfo() as {
    type?: string;
    name?: string;
    size?: number;
  } | null;
  return {
    address: context.address,
    servername: context.servername,
    starttls: context.starttls,
    protocol: socket.getProtocol(),
    cipher: { name: cipher.name, standardName: cipher.standardName, version: cipher.version },
    ephemeralKey: ephemeral?.type
      ? { type: ephemeral.type, name: ephemeral.name ?? null, bits: ephemeral.size ?? 0 }
      : null,
    alpnProtocol: socket.alpnProtocol || null,
    sessionOffered: context.sessionOffered,
    resumed: socket.isSessionReused(),
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    authorizationReason: context.authorizationReason,
    peerCertificates: peerChainOf(socket),
    clientCertificate: ownCertificateOf(socket),
    ocsp: context.ocsp,
    session: context.session ? describeSession(context.session) : null,
    connectMs: Math.round(context.connectMs),
    maxSendFragment: context.maxSendFragment,
  };
}

function ownCertificateOf(socket: TLSSocket): HandshakeSummary['clientCertificate'] {
  const own = socket.getCertificate();
  if (!own || !('raw' in own) || !own.raw) return null;
  const certificate = new X509Certificate(own.raw);
  return {
    subject: certificate.subject.split('\n').filter(Boolean).join(', '),
    fingerprint256: certificate.fingerprint256,
  };
}
