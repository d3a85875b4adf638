import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { PeerCertificateSummary, SecureConnectionDetails } from './events.js';
import { formatX509Name } from './inputs.js';

/**
 * What a server-side socket negotiated, read once its handshake is done. `servedSubject` is the
 * subject of the certificate presented, when the server has only one: reading it back from the
 * socket parses the certificate again on every connection.
 */
export function describeSecureConnection(
  socket: TLSSocket,
  servedSubject?: string,
): SecureConnectionDetails {
  const cipher = socket.getCipher();
  const peer = socket.getPeerX509Certificate();
  return {
    protocol: socket.getProtocol(),
    cipher: cipher.standardName,
    cipherName: cipher.name,
    alpnProtocol: socket.alpnProtocol || null,
    servername: (socket as TLSSocket & { servername?: string | false }).servername || null,
    resumed: socket.isSessionReused(),
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    peerCertificate: peer ? summarisePeer(peer) : null,
    certificateSubject: servedSubject ?? subjectOfOwnCertificate(socket),
  };
}

function summarisePeer(certificate: X509Certificate): PeerCertificateSummary {
  return {
    subject: formatX509Name(certificate.subject),
    issuer: formatX509Name(certificate.issuer),
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    validTo: new Date(certificate.validTo).toISOString(),
  };
}

function subjectOfOwnCertificate(socket: TLSSocket): string | null {
  const own = socket.getX509Certificate();
  return own ? formatX509Name(own.subject) : null;
}
