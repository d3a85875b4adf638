import type { TreeNode } from '../../render/text-tree.js';
import type { ConnectionSummary } from './connect.js';
import type { OcspSummary } from './ocsp.js';
import type { PeerCertificateSummary } from './peer-chain.js';
import type { HandshakeSummary } from './summary.js';

export interface ConnectionTreeOptions {
  /** Every certificate of the chain in full (--showcerts); else the leaf and the issuers' names. */
  showCertificates?: boolean;
}

/** The connection as a tree, like the top of `openssl s_client`'s output but readable. */
export function connectionTree(
  summary: HandshakeSummary & Partial<ConnectionSummary>,
  options: ConnectionTreeOptions = {},
): TreeNode {
  const sni = summary.servername ? ` (SNI ${summary.servername})` : '';
  const children: TreeNode[] = [
    ...(summary.starttls ? [{ label: 'STARTTLS', value: summary.starttls }] : []),
    { label: 'Protocol', value: summary.protocol ?? 'unknown' },
    { label: 'Cipher', value: summary.cipher.standardName },
    {
      label: 'Key exchange',
      value: summary.ephemeralKey
        ? `${summary.ephemeralKey.name ?? summary.ephemeralKey.type} (${summary.ephemeralKey.bits} bits)`
        : 'none reported (resumed or RSA key transport)',
    },
    summary.alpnProtocol
      ? { label: 'ALPN', value: summary.alpnProtocol }
      : { label: 'ALPN', value: 'none', tone: 'muted' },
    sessionNode(summary),
    verificationNode(summary),
    summary.clientCertificate
      ? { label: 'Client certificate', value: summary.clientCertificate.subject }
      : { label: 'Client certificate', value: 'none', tone: 'muted' },
    ...(summary.ocsp ? [ocspNode(summary.ocsp)] : []),
    ...(summary.maxSendFragment
      ? [{ label: 'Max send fragment', value: `${summary.maxSendFragment} bytes` }]
      : []),
    ...(summary.renegotiation ? [renegotiationNode(summary.renegotiation)] : []),
    ...(summary.reconnects && summary.reconnects.length > 0
      ? [reconnectsNode(summary.reconnects)]
      : []),
    chainNode(summary.peerCertificates, options.showCertificates ?? false),
  ];
  return {
    label: `Connected to ${summary.address}${sni} in ${summary.connectMs} ms`,
    children,
  };
}

function sessionNode(summary: HandshakeSummary): TreeNode {
  const session = summary.session;
  const ticket = session?.ticket
    ? `ticket of ${session.ticket.bytes} bytes${session.ticket.lifetimeHintSeconds === null ? '' : `, lifetime ${session.ticket.lifetimeHintSeconds} s`}`
    : session?.id
      ? `ID ${session.id.slice(0, 16)}…`
      : 'no resumable session received';
  if (summary.resumed) return { label: 'Session', value: `resumed (${ticket})`, tone: 'good' };
  if (summary.sessionOffered) {
    return {
      label: 'Session',
      value: `new: the offered session was not resumed (${ticket})`,
      tone: 'warning',
    };
  }
  return { label: 'Session', value: `new (${ticket})` };
}

function verificationNode(summary: HandshakeSummary): TreeNode {
  if (summary.authorized) return { label: 'Verification', value: 'OK', tone: 'good' };
  return {
    label: 'Verification',
    value: `FAILED, connected anyway (--insecure): ${summary.authorizationReason ?? summary.authorizationError}`,
    tone: 'bad',
  };
}

function ocspNode(ocsp: OcspSummary): TreeNode {
  if (!ocsp.stapled) return { label: 'OCSP', value: 'requested, none stapled', tone: 'warning' };
  if (ocsp.malformed)
    return { label: 'OCSP', value: `unreadable response: ${ocsp.malformed}`, tone: 'bad' };
  if (ocsp.responseStatus !== 'successful') {
    return { label: 'OCSP', value: `responder said ${ocsp.responseStatus}`, tone: 'warning' };
  }
  return {
    label: 'OCSP',
    value: `stapled, ${ocsp.bytes} bytes (signature not checked)`,
    children: [
      ...(ocsp.producedAt ? [{ label: 'Produced', value: ocsp.producedAt }] : []),
      ...ocsp.responses.map((response): TreeNode => ({
        label: `Serial ${response.serialNumber}`,
        value: [
          response.certStatus,
          response.revocationTime ? `at ${response.revocationTime}` : '',
          response.nextUpdate ? `next update ${response.nextUpdate}` : '',
        ]
          .filter(Boolean)
          .join(', '),
        tone: response.certStatus === 'good' ? 'good' : 'bad',
      })),
    ],
  };
}

function renegotiationNode(
  renegotiation: NonNullable<ConnectionSummary['renegotiation']>,
): TreeNode {
  return renegotiation.ok
    ? { label: 'Renegotiation', value: 'done', tone: 'good' }
    : { label: 'Renegotiation', value: `not done: ${renegotiation.error}`, tone: 'warning' };
}

function reconnectsNode(reconnects: ConnectionSummary['reconnects']): TreeNode {
  return {
    label: 'Reconnects',
    children: reconnects.map((reconnect) => ({
      label: `${reconnect.attempt}`,
      value: `${reconnect.resumed ? 'resumed' : reconnect.sessionOffered ? 'new (offered session refused)' : 'new (no session to offer)'}, ${reconnect.protocol}, ${reconnect.cipher}, ${reconnect.connectMs} ms`,
      tone: reconnect.resumed ? 'good' : 'warning',
    })),
  };
}

function chainNode(chain: readonly PeerCertificateSummary[], showAll: boolean): TreeNode {
  const [leaf, ...issuers] = chain;
  if (!leaf) return { label: 'Server certificate', value: 'none', tone: 'bad' };
  if (showAll) {
    return {
      label: 'Certificate chain',
      children: chain.map((certificate, depth) => certificateNode(certificate, `${depth}`)),
    };
  }
  return {
    label: 'Server certificate',
    children: [
      ...certificateDetails(leaf),
      ...(issuers.length > 0
        ? [{ label: 'Chain', value: issuers.map((issuer) => issuer.subject).join(' → ') }]
        : []),
    ],
  };
}

function certificateNode(certificate: PeerCertificateSummary, depth: string): TreeNode {
  return { label: `${depth}: ${certificate.subject}`, children: certificateDetails(certificate) };
}

function certificateDetails(certificate: PeerCertificateSummary): TreeNode[] {
  const notes = [certificate.ca ? 'CA' : '', certificate.selfIssued ? 'self-issued' : '']
    .filter(Boolean)
    .join(', ');
  return [
    { label: 'Subject', value: `${certificate.subject}${notes ? ` (${notes})` : ''}` },
    { label: 'Issuer', value: certificate.issuer },
    { label: 'Valid', value: `${certificate.notBefore} to ${certificate.notAfter}` },
    ...(certificate.subjectAltName ? [{ label: 'SANs', value: certificate.subjectAltName }] : []),
    { label: 'Public key', value: certificate.publicKey },
    { label: 'Serial', value: certificate.serialNumber },
    { label: 'SHA-256', value: certificate.fingerprint256 },
  ];
}
