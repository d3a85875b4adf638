import { AsnConvert } from '@peculiar/asn1-schema';
import {
  KeyUsageFlags,
  type DistributionPoint,
  type DistributionPointName,
} from '@peculiar/asn1-x509';
import type { ChainCertificate } from './chain-certificate.js';
import { REMOVE_FROM_CRL, revocationListSignedBy, type RevocationList } from './crl-reader.js';
import { akidMatches } from './issuer-match.js';
import { canonicalName, namesMatch } from './name-canon.js';
import type { VerifyFailure } from './verdict.js';

/** `--crl-check leaf` checks the certificate verified; `all` every certificate in the path. */
export type CrlCheckScope = 'leaf' | 'all';

/**
 * Revocation by CRLs as `openssl verify -crl_check` / `-crl_check_all` does it (check_cert):
 * for each certificate, the best list from its issuer (by name and authorityKeyIdentifier),
 * then that list's checks in OpenSSL's order: the issuer may sign CRLs, the list covers the
 * certificate (issuingDistributionPoint against cRLDistributionPoints), it is current
 * (thisUpdate ≤ now < nextUpdate), its signature verifies, it has no critical extension we
 * cannot process, and the certificate's serial is not on it. With `all`, the trust anchor needs
 * a list too (signed by itself), as in OpenSSL.
 */
export function checkRevocation(
  chain: readonly ChainCertificate[],
  lists: readonly RevocationList[],
  scope: CrlCheckScope,
  at: Date,
): VerifyFailure | undefined {
  const last = scope === 'all' ? chain.length - 1 : 0;
  for (let depth = 0; depth <= last; depth++) {
    const failure = checkCertificate(chain, depth, lists, at);
    if (failure) return failure;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

/** CRL score bits (x509_vfy.c): the best-scoring list is used. */
const Score = {
  noCritical: 0x100,
  scope: 0x080,
  time: 0x040,
  issuerName: 0x020,
  issuerCertificate: 0x018,
  samePath: 0x008,
  akid: 0x004,
} as const;

interface Candidate {
  list: RevocationList;
  score: number;
  issuer: ChainCertificate;
}

function checkCertificate(
  chain: readonly ChainCertificate[],
  depth: number,
  lists: readonly RevocationList[],
  at: Date,
): VerifyFailure | undefined {
  const certificate = chain[depth] as ChainCertificate;
  const fail = (code: VerifyFailure['code'], detail?: string): VerifyFailure => ({
    code,
    depth,
    detail,
  });
  const chosen = bestList(chain, depth, lists, at);
  if (!chosen) return fail('UNABLE_TO_GET_CRL', 'no CRL from its issuer was given');
  const { list, score, issuer } = chosen;
  if (issuer.keyUsage !== undefined && !(issuer.keyUsage & KeyUsageFlags.cRLSign)) {
    return fail('KEYUSAGE_NO_CRL_SIGN', issuer.subjectText);
  }
  if (!(score & Score.scope)) return fail('DIFFERENT_CRL_SCOPE', list.source);
  if (!(score & Score.time)) {
    if (list.thisUpdate.getTime() > at.getTime()) {
      return fail(
        'CRL_NOT_YET_VALID',
        `${list.source}: this update ${list.thisUpdate.toISOString()}`,
      );
    }
    return fail('CRL_HAS_EXPIRED', `${list.source}: next update ${list.nextUpdate?.toISOString()}`);
  }
  if (!issuer.publicKey) return fail('UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', issuer.subjectText);
  if (!revocationListSignedBy(list, issuer.publicKey))
    return fail('CRL_SIGNATURE_FAILURE', list.source);
  if (list.unhandledCritical) return fail('UNHANDLED_CRITICAL_CRL_EXTENSION', list.source);
  if (
    list.revoked.has(certificate.serial) &&
    list.revoked.get(certificate.serial) !== REMOVE_FROM_CRL
  ) {
    return fail('CERT_REVOKED', `serial ${certificate.serial} on ${list.source}`);
  }
  return undefined;
}

/**
 * get_crl_sk: the highest-scoring list, a newer thisUpdate breaking ties. A list that scores
 * below "valid" is still used (so that its own checks report why it does not serve).
 */
function bestList(
  chain: readonly ChainCertificate[],
  depth: number,
  lists: readonly RevocationList[],
  at: Date,
): Candidate | undefined {
  let best: Candidate | undefined;
  for (const list of lists) {
    const candidate = scoreList(chain, depth, list, at);
    if (!candidate) continue;
    if (
      !best ||
      candidate.score > best.score ||
      (candidate.score === best.score && list.thisUpdate.getTime() > best.list.thisUpdate.getTime())
    ) {
      best = candidate;
    }
  }
  return best;
}

/** get_crl_score: undefined for a list that cannot serve at all. */
function scoreList(
  chain: readonly ChainCertificate[],
  depth: number,
  list: RevocationList,
  at: Date,
): Candidate | undefined {
  const certificate = chain[depth] as ChainCertificate;
  // Indirect lists and lists partitioned by reason need OpenSSL's extended CRL support.
  if (list.scopeInvalid || list.delta || list.scope?.indirect || list.scope?.onlySomeReasons) {
    return undefined;
  }
  if (!namesMatch(certificate.issuer, list.issuer)) return undefined;
  let score = Score.issuerName;
  if (!list.unhandledCritical) score |= Score.noCritical;
  if (timely(list, at)) score |= Score.time;
  const issuer = listIssuer(chain, depth, list);
  if (!issuer) return undefined;
  score |= issuer.score;
  if (covers(certificate, list, score)) score |= Score.scope;
  return { list, score, issuer: issuer.certificate };
}

/** crl_akid_check: the certificate's issuer in the path, or another on the path above it. */
function listIssuer(
  chain: readonly ChainCertificate[],
  depth: number,
  list: RevocationList,
): { certificate: ChainCertificate; score: number } | undefined {
  const issuerDepth = depth === chain.length - 1 ? depth : depth + 1;
  const issuer = chain[issuerDepth] as ChainCertificate;
  if (akidMatches(issuer, list.authorityKeyIdentifier)) {
    return { certificate: issuer, score: Score.akid | Score.issuerCertificate };
  }
  for (const candidate of chain.slice(issuerDepth + 1)) {
    if (
      namesMatch(candidate.subject, list.issuer) &&
      akidMatches(candidate, list.authorityKeyIdentifier)
    ) {
      return { certificate: candidate, score: Score.akid | Score.samePath };
    }
  }
  return undefined;
}

/** check_crl_time without reporting: thisUpdate ≤ at < nextUpdate (when there is one). */
function timely(list: RevocationList, at: Date): boolean {
  if (list.thisUpdate.getTime() > at.getTime()) return false;
  return !list.nextUpdate || list.nextUpdate.getTime() > at.getTime();
}

/** crl_crldp_check: the list's scope covers the certificate. */
function covers(certificate: ChainCertificate, list: RevocationList, score: number): boolean {
  const scope = list.scope;
  if (scope?.onlyAttributeCertificates) return false;
  if (certificate.basicConstraints?.ca ? scope?.onlyUserCertificates : scope?.onlyCaCertificates) {
    return false;
  }
  for (const point of certificate.crlDistributionPoints ?? []) {
    if (!issuedByListIssuer(point, list, score)) continue;
    if (!scope || distributionPointsMatch(point.distributionPoint, scope.distributionPoint))
      return true;
  }
  return !scope?.distributionPoint && (score & Score.issuerName) !== 0;
}

/** crldp_check_crlissuer: a distribution point with a cRLIssuer names the list's issuer. */
function issuedByListIssuer(
  point: DistributionPoint,
  list: RevocationList,
  score: number,
): boolean {
  if (!point.cRLIssuer) return (score & Score.issuerName) !== 0;
  return point.cRLIssuer.some(
    (name) =>
      name.directoryName !== undefined &&
      namesMatch(
        canonicalName(new Uint8Array(AsnConvert.serialize(name.directoryName))),
        list.issuer,
      ),
  );
}

/**
 * idp_check_dp for full names: either side absent matches; otherwise some name in common.
 * Names relative to the CRL issuer are not compared (tlskit-made and public CRLs use URIs).
 */
function distributionPointsMatch(
  certificateSide: DistributionPointName | undefined,
  listSide: DistributionPointName | undefined,
): boolean {
  if (!certificateSide || !listSide) return true;
  const encoded = (side: DistributionPointName) =>
    (side.fullName ?? []).map((name) => Buffer.from(AsnConvert.serialize(name)).toString('hex'));
  const listNames = new Set(encoded(listSide));
  return encoded(certificateSide).some((name) => listNames.has(name));
}
