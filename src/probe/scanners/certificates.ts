import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { messageOf } from '../../errors.js';
import type { CertificateDescription } from '../../pki/describe/certificate.js';
import { readFirstFlight } from '../messages/first-flight.js';
import type { CertificateChainReport, CertificateReport } from '../report.js';
import { cipherSuiteById, cipherSuitesToOffer } from '../registry/cipher-suites.js';
import { versionOf, type ProtocolName } from '../registry/versions.js';
import { nodeTlsHandshake } from '../transport/node-tls-handshake.js';
import { isProbeParseError } from '../wire/probe-parse-error.js';
import { sendHello } from './protocols.js';
import { summariseOcspResponse } from './ocsp-response.js';
import type { ScanContext } from './scan-context.js';

/** A chain as it came off the wire, before it is judged. */
export interface CollectedChain {
  protocol: string;
  via: CertificateChainReport['via'];
  authentication: string;
  ders: Uint8Array[];
  ocspResponse: Uint8Array | null;
  error: string | null;
}

export interface ChainJudgement {
  /** The name the certificate must match: --servername, else the target's host. */
  hostname: string;
  /** Trust anchors: --ca's certificates, or Node's bundled roots. */
  anchors: readonly X509Certificate[];
  now: Date;
}

/**
 * Collects the chain once per kind of server key the accepted suites use (a server with an RSA
 * and an ECDSA certificate shows both), from the TLS ≤ 1.2 Certificate message, exactly as sent.
 * A TLS 1.3-only server encrypts its chain: one handshake through Node's TLS shows it.
 */
export async function collectChains(
  context: ScanContext,
  legacyProtocol: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'> | null,
  suitesFound: readonly number[] | null,
): Promise<CollectedChain[]> {
  if (!legacyProtocol) return [await collectWithNodeTls(context)];
  const byAuthentication = groupByAuthentication(legacyProtocol, suitesFound);
  const chains = await Promise.all(
    byAuthentication.map(([authentication, suites]) =>
      collectFromCertificateMessage(context, legacyProtocol, authentication, suites),
    ),
  );
  // Without a cipher scan each kind of key is tried blind: a refusal only means "no such key".
  const present = chains.filter((chain) => !chain.refused);
  return (present.length > 0 ? present : chains.slice(0, 1)).map(
    ({ refused: _, ...chain }) => chain,
  );
}

/** Judges each collected chain: names, keys, dates, host name, trust, OCSP. */
export async function judgeChains(
  chains: readonly CollectedChain[],
  judgement: ChainJudgement,
): Promise<CertificateChainReport[]> {
  // The describe module pulls in the ASN.1 parser: loaded only when certificates are scanned.
  const { describeCertificate } = await import('../../pki/describe/certificate.js');
  return chains.map((collected) => judgeChain(collected, judgement, describeCertificate));
}

async function collectFromCertificateMessage(
  context: ScanContext,
  protocol: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'>,
  authentication: string,
  suites: readonly number[],
): Promise<CollectedChain & { refused: boolean }> {
  const base = { protocol, via: 'certificate-message' as const, authentication, refused: false };
  const verdict = await sendHello(context, { protocol, cipherSuites: suites }, 'server-hello-done');
  if (verdict.kind !== 'accepted') {
    const refused = verdict.kind === 'refused';
    return { ...base, refused, ders: [], ocspResponse: null, error: verdict.reason };
  }
  try {
    const flight = readFirstFlight(verdict.serverHello, verdict.outcome.messages);
    if (!flight.certificates) {
      return { ...base, ders: [], ocspResponse: null, error: 'no Certificate message' };
    }
    return { ...base, ders: flight.certificates, ocspResponse: flight.ocspResponse, error: null };
  } catch (error) {
    if (!isProbeParseError(error)) throw error;
    return { ...base, ders: [], ocspResponse: null, error: error.message };
  }
}

async function collectWithNodeTls(context: ScanContext): Promise<CollectedChain> {
  const result = await context.withConnection(() =>
    nodeTlsHandshake(context.connector, context.endpoint, {
      servername: context.serverName,
      timeoutMs: context.timeoutMs,
      minVersion: 'TLSv1.3',
    }),
  );
  const base = { protocol: 'TLS1.3', via: 'node-tls' as const, authentication: 'any' };
  if ('error' in result) return { ...base, ders: [], ocspResponse: null, error: result.error };
  return { ...base, ders: result.chain, ocspResponse: result.ocspResponse, error: null };
}

/**
 * RSA, ECDSA and DSS suites each make the server present a matching certificate: the accepted
 * suites grouped that way, or, without a cipher scan, every suite of each kind.
 */
function groupByAuthentication(
  protocol: ProtocolName,
  suitesFound: readonly number[] | null,
): Array<[string, number[]]> {
  const pool = suitesFound ?? cipherSuitesToOffer(versionOf(protocol)).map((row) => row.id);
  const groups = new Map<string, number[]>();
  for (const id of pool) {
    const au = cipherSuiteById(id)?.au;
    if (au !== 'RSA' && au !== 'ECDSA' && au !== 'DSS') continue;
    groups.set(au, [...(groups.get(au) ?? []), id]);
  }
  return groups.size > 0 ? [...groups] : [['any', [...pool]]];
}

type Describe = (
  der: Uint8Array,
  options: { source: string; now?: Date },
) => CertificateDescription;

function judgeChain(
  collected: CollectedChain,
  judgement: ChainJudgement,
  describe: Describe,
): CertificateChainReport {
  const ocsp = ocspOf(collected.ocspResponse);
  const base = {
    protocol: collected.protocol,
    via: collected.via,
    authentication: collected.authentication,
    hostname: judgement.hostname,
    ocsp,
  };
  if (collected.error || collected.ders.length === 0) {
    return {
      ...base,
      chain: [],
      hostnameMatch: false,
      trust: { trusted: false, anchor: null, reason: 'no certificate' },
      error: collected.error ?? 'the server sent no certificate',
    };
  }
  try {
    const x509s = collected.ders.map((der) => new X509Certificate(der));
    const chain = collected.ders.map((der, index) =>
      certificateReportOf(describe(der, { source: `certificate #${index}`, now: judgement.now })),
    );
    const leaf = x509s[0] as X509Certificate;
    return {
      ...base,
      chain,
      hostnameMatch: matchesHost(leaf, judgement.hostname),
      trust: assessTrust(x509s, judgement.anchors, judgement.now),
      error: null,
    };
  } catch (error) {
    return {
      ...base,
      chain: [],
      hostnameMatch: false,
      trust: { trusted: false, anchor: null, reason: 'unreadable certificate' },
      error: `the server's certificate does not parse: ${messageOf(error)}`,
    };
  }
}

function certificateReportOf(description: CertificateDescription): CertificateReport {
  return {
    subject: description.subjectString,
    issuer: description.issuerString,
    serialNumber: description.serialNumber,
    subjectAltNames: description.subjectaltname ? description.subjectaltname.split(', ') : [],
    keyType: description.keyType,
    keyBits: description.bits ?? null,
    curve: description.nistCurve ?? description.asn1Curve ?? null,
    signatureAlgorithm: description.signatureAlgorithm,
    notBefore: description.validity.notBefore,
    notAfter: description.validity.notAfter,
    daysLeft: description.validity.daysLeft,
    expired: description.validity.expired,
    notYetValid: description.validity.notYetValid,
    selfSigned: description.selfSigned,
    fingerprint256: description.fingerprint256,
  };
}

function matchesHost(leaf: X509Certificate, hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return (isIP(bare) ? leaf.checkIP(bare) : leaf.checkHost(bare)) !== undefined;
}

/**
 * A plain path check, not RFC 5280 validation (for that, `tlskit verify`): follow issuers from
 * the leaf through the certificates the server sent until one is, or is signed by, a trust
 * anchor; every certificate on the way must be within its validity period.
 */
export function assessTrust(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  now: Date,
): CertificateChainReport['trust'] {
  const path: X509Certificate[] = [];
  let current = chain[0];
  while (current && !path.includes(current) && path.length <= chain.length) {
    path.push(current);
    const certificate: X509Certificate = current;
    const anchor =
      anchors.find((candidate) => candidate.fingerprint256 === certificate.fingerprint256) ??
      anchors.find((candidate) => issued(candidate, certificate));
    if (anchor) {
      const expired = path.find((member) => !withinValidity(member, now));
      if (expired)
        return {
          trusted: false,
          anchor: oneLine(anchor.subject),
          reason: `${oneLine(expired.subject)} is outside its validity period`,
        };
      return { trusted: true, anchor: oneLine(anchor.subject), reason: null };
    }
    current = chain.find(
      (candidate) =>
        candidate !== certificate && !path.includes(candidate) && issued(candidate, certificate),
    );
  }
  const last = path.at(-1);
  if (!last) return { trusted: false, anchor: null, reason: 'no certificate' };
  const selfSigned = issued(last, last);
  return {
    trusted: false,
    anchor: null,
    reason: selfSigned
      ? `self-signed ${oneLine(last.subject)} is not a trust anchor`
      : `issuer ${oneLine(last.issuer)} not found`,
  };
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function withinValidity(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom) <= now && now <= new Date(certificate.validTo);
}

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

function ocspOf(response: Uint8Array | null): CertificateChainReport['ocsp'] {
  if (!response)
    return { stapled: false, responseStatus: null, certStatus: null, nextUpdate: null };
  const summary = summariseOcspResponse(response);
  return {
    stapled: true,
    responseStatus: summary?.responseStatus ?? 'unreadable',
    certStatus: summary?.certStatus ?? null,
    nextUpdate: summary?.nextUpdate ?? null,
  };
}
