import type { Tone, TreeNode } from '../render/text-tree.js';
import type {
  CertificateChainReport,
  CipherSuitesReport,
  ExtrasReport,
  GroupsReport,
  KeyExchangeReport,
  ProbeReport,
  SuiteReport,
  TargetReport,
} from './report.js';

/**
 * The human view of a probe report, as trees for src/render/text-tree.ts: one root per target;
 * cipher suites as aligned columns (id, IANA name, OpenSSL name, strength and why).
 */
export function probeReportTree(report: ProbeReport): TreeNode[] {
  return report.targets.map(targetTree);
}

export function targetTree(target: TargetReport): TreeNode {
  const sni = target.serverName ? ` (SNI ${target.serverName})` : '';
  const starttls = target.starttls ? ` via STARTTLS ${target.starttls}` : '';
  const heading = `${target.target}${sni}${starttls}`;
  if (target.status === 'unreachable') {
    return {
      label: heading,
      value: `unreachable: ${target.error ?? 'no connection'}`,
      tone: 'bad',
    };
  }
  const children: TreeNode[] = [protocolsTree(target)];
  if (target.cipherSuites) children.push(...target.cipherSuites.map(cipherSuitesTree));
  if (target.keyExchange) children.push(keyExchangeTree(target.keyExchange));
  if (target.certificates) children.push(certificatesTree(target.certificates));
  if (target.extras) children.push(extrasTree(target.extras));
  children.push(ratingTree(target));
  if (target.expectations) children.push(expectationsTree(target));
  if (target.findings.length > 0) {
    children.push({
      label: `Problems (${target.findings.length})`,
      tone: 'warning',
      children: target.findings.map((finding) => ({
        label: finding.scanner,
        value: finding.message,
        tone: 'warning',
      })),
    });
  }
  children.push({
    label: 'Scan',
    value: `${target.clientHellos} ClientHellos in ${target.durationMs} ms`,
    tone: 'muted',
  });
  return { label: heading, children };
}

function protocolsTree(target: TargetReport): TreeNode {
  return {
    label: 'Protocols',
    children: target.protocols.map((protocol) => {
      if (protocol.supported === null) {
        return {
          label: protocol.protocol,
          value: `unknown (${protocol.evidence})`,
          tone: 'warning' as Tone,
        };
      }
      const legacy = ['SSLv2', 'SSLv3', 'TLS1.0', 'TLS1.1'].includes(protocol.protocol);
      const tone: Tone = protocol.supported ? (legacy ? 'bad' : 'good') : 'muted';
      return {
        label: protocol.protocol,
        value: protocol.supported ? 'yes' : `no (${protocol.evidence})`,
        tone,
      };
    }),
  };
}

function cipherSuitesTree(section: CipherSuitesReport): TreeNode {
  const order =
    section.serverPreference === true
      ? "server's order"
      : section.serverPreference === false
        ? "the client's order decides"
        : null;
  const incomplete = section.complete ? '' : ` — incomplete: ${section.error}`;
  const idWidth = Math.max(0, ...section.suites.map((suite) => suite.id.length));
  const nameWidth = Math.max(0, ...section.suites.map((suite) => suite.name.length));
  const opensslWidth = Math.max(0, ...section.suites.map((suite) => (suite.openssl ?? '').length));
  return {
    label: `Cipher suites ${section.protocol} (${section.suites.length}${order ? `, ${order}` : ''})${incomplete}`,
    tone: section.complete ? undefined : 'warning',
    children: section.suites.map((suite) => suiteNode(suite, idWidth, nameWidth, opensslWidth)),
  };
}

function suiteNode(
  suite: SuiteReport,
  idWidth: number,
  nameWidth: number,
  opensslWidth: number,
): TreeNode {
  const why = suite.reasons.length > 0 ? ` (${suite.reasons.join(', ')})` : '';
  const columns = [
    suite.id.padEnd(idWidth),
    suite.name.padEnd(nameWidth),
    (suite.openssl ?? '').padEnd(opensslWidth),
  ];
  return {
    label: '',
    value: `${columns.join('  ')}  ${suite.strength}${why}`,
    tone: strengthTone(suite.strength),
  };
}

function strengthTone(strength: SuiteReport['strength']): Tone | undefined {
  return strength === 'weak' ? 'bad' : strength === 'strong' ? 'good' : undefined;
}

function keyExchangeTree(exchange: KeyExchangeReport): TreeNode {
  const children: TreeNode[] = [];
  if (exchange.tls13) {
    children.push(groupsNode('TLS1.3 groups', exchange.tls13));
    const response = exchange.tls13.keyShareResponse;
    if (response) {
      children.push({
        label: `Key shares ${response.offered.join(' + ')}`,
        value:
          response.answer === 'server-hello'
            ? `accepted (${response.group})`
            : `HelloRetryRequest for ${response.group}`,
      });
    }
  }
  if (exchange.ecdhe)
    children.push(groupsNode(`${exchange.ecdhe.protocol} ECDHE curves`, exchange.ecdhe));
  if (exchange.dhe) {
    const dhe = exchange.dhe;
    const group = dhe.group ? ` ${dhe.group}` : ' (server-chosen parameters)';
    children.push(
      dhe.primeBits
        ? {
            label: `${dhe.protocol} DHE`,
            value: `${dhe.primeBits}-bit prime${group}`,
            tone: dhe.primeBits < 2048 ? 'bad' : undefined,
          }
        : { label: `${dhe.protocol} DHE`, value: `unknown (${dhe.error})`, tone: 'warning' },
    );
  }
  if (children.length === 0)
    children.push({ label: '', value: 'no (EC)DHE key exchange', tone: 'muted' });
  return { label: 'Key exchange', children };
}

function groupsNode(label: string, groups: GroupsReport): TreeNode {
  const order =
    groups.serverPreference === true
      ? ", server's order"
      : groups.serverPreference === false
        ? ", client's order"
        : '';
  const names = groups.groups.map((group) => group.name).join(', ') || 'none';
  const incomplete = groups.complete ? '' : ` — incomplete: ${groups.error}`;
  return {
    label: `${label} (${groups.groups.length}${order})`,
    value: `${names}${incomplete}`,
    tone: groups.complete ? undefined : 'warning',
  };
}

function certificatesTree(chains: readonly CertificateChainReport[]): TreeNode {
  if (chains.length === 0) return { label: 'Certificates', value: 'none', tone: 'muted' };
  return { label: 'Certificates', children: chains.map(chainTree) };
}

function chainTree(chain: CertificateChainReport): TreeNode {
  const source = chain.via === 'certificate-message' ? 'as sent' : "as Node's TLS received it";
  const label = `${chain.authentication === 'any' ? '' : `${chain.authentication} `}chain (${chain.protocol}, ${source})`;
  if (chain.error) return { label, value: chain.error, tone: 'bad' };
  const certificates: TreeNode[] = chain.chain.map((certificate, index) => ({
    label: `#${index} ${certificate.subject || '(empty subject)'}`,
    children: [
      {
        label: 'Issuer',
        value: certificate.issuer + (certificate.selfSigned ? ' (self-signed)' : ''),
      },
      {
        label: 'Key',
        value: `${certificate.keyType.toUpperCase()} ${certificate.curve ?? `${certificate.keyBits ?? '?'} bits`}`,
      },
      { label: 'Signature', value: certificate.signatureAlgorithm },
      {
        label: 'Valid until',
        value: `${certificate.notAfter.slice(0, 10)} (${validityText(certificate)})`,
        tone:
          certificate.expired || certificate.notYetValid
            ? 'bad'
            : certificate.daysLeft <= 30
              ? 'warning'
              : 'good',
      },
      ...(index === 0 && certificate.subjectAltNames.length > 0
        ? [{ label: 'Names', value: certificate.subjectAltNames.join(', ') }]
        : []),
    ],
  }));
  return {
    label,
    children: [
      ...certificates,
      {
        label: `Host name ${chain.hostname}`,
        value: chain.hostnameMatch ? 'matches' : 'does NOT match',
        tone: chain.hostnameMatch ? 'good' : 'bad',
      },
      {
        label: 'Trust',
        value: chain.trust.trusted
          ? `trusted (anchor ${chain.trust.anchor})`
          : `not trusted: ${chain.trust.reason}`,
        tone: chain.trust.trusted ? 'good' : 'bad',
      },
      {
        label: 'OCSP stapling',
        value: chain.ocsp.stapled
          ? `yes (${chain.ocsp.responseStatus}${chain.ocsp.certStatus ? `, ${chain.ocsp.certStatus}` : ''})`
          : 'no',
        tone: chain.ocsp.certStatus === 'revoked' ? 'bad' : undefined,
      },
    ],
  };
}

function validityText(certificate: {
  expired: boolean;
  notYetValid: boolean;
  daysLeft: number;
}): string {
  if (certificate.expired) return `EXPIRED ${-certificate.daysLeft} days ago`;
  if (certificate.notYetValid) return 'not yet valid';
  return `${certificate.daysLeft} days left`;
}

function extrasTree(extras: ExtrasReport): TreeNode {
  const flag = (label: string, value: boolean | null, good: boolean | null = true): TreeNode => ({
    label,
    value: value === null ? 'n/a' : value ? 'yes' : 'no',
    tone: value === null || good === null ? 'muted' : value === good ? 'good' : 'bad',
  });
  const children: TreeNode[] = [
    flag('Secure renegotiation', extras.secureRenegotiation),
    flag('TLS_FALLBACK_SCSV', extras.fallbackScsv),
    flag('Downgrade protection (TLS 1.3)', extras.downgradeProtection),
    flag('Compression', extras.compression, false),
    flag('Session IDs', extras.sessionIds, null),
    flag('Session tickets', extras.sessionTickets, null),
    flag('Extended master secret', extras.extendedMasterSecret),
    flag('Encrypt-then-MAC', extras.encryptThenMac, null),
    flag('OCSP stapling', extras.ocspStapling, null),
  ];
  if (extras.alpn) {
    children.push({
      label: `ALPN (offered ${extras.alpn.offered.join(', ')})`,
      value: extras.alpn.supported.join(', ') || 'none',
    });
  }
  const basis = extras.basedOn ? ` (from the ${extras.basedOn} hello)` : '';
  return { label: `Extras${basis}`, children };
}

function ratingTree(target: TargetReport): TreeNode {
  const grade = target.rating.grade;
  if (grade === '-') {
    const why = target.cipherSuites ? 'no protocol found' : 'the cipher suites were not scanned';
    return { label: 'Grade', value: `none: ${why}`, tone: 'muted' };
  }
  const tone: Tone = grade === 'A' ? 'good' : grade === 'B' ? 'warning' : 'bad';
  return {
    label: 'Grade',
    value: grade,
    tone,
    children: target.rating.reasons.map((reason) => ({
      label: `capped at ${reason.cap}`,
      value: reason.reason,
    })),
  };
}

function expectationsTree(target: TargetReport): TreeNode {
  const results = target.expectations ?? [];
  const met = results.filter((result) => result.passed).length;
  return {
    label: 'Expectations',
    value: `${met} of ${results.length} met`,
    tone: met === results.length ? 'good' : 'bad',
    children: results.map((result) => ({
      label: `${result.passed ? '✔' : '✘'} ${result.expectation}`,
      value: `found ${result.actual}`,
      tone: result.passed ? 'good' : 'bad',
    })),
  };
}
