import { caStatusOf } from './basic-constraints.js';
import type { ChainCertificate } from './chain-certificate.js';
import { allowsPurpose, type VerifyPurpose } from './purpose.js';
import type { VerifyFailure } from './verdict.js';

/**
 * OpenSSL's check_extensions, certificate by certificate from the leaf up: no critical
 * extension it cannot process; every issuer a CA (RFC 5280 §6.1.4 (k): basicConstraints
 * CA:TRUE, except that the anchor may be a version 1 root or a CA by keyUsage alone); the
 * purpose, when one is asked for, allowed by each certificate; and each path length constraint
 * respected (§6.1.4 (m): self-issued intermediates do not count). In a path of two or more,
 * an EC key must use a named curve (RFC 5480 §2.1.1: explicit parameters MUST NOT be used).
 */
export function checkExtensions(
  chain: readonly ChainCertificate[],
  purpose: VerifyPurpose | undefined,
): VerifyFailure | undefined {
  let intermediates = 0;
  for (let depth = 0; depth < chain.length; depth++) {
    const certificate = chain[depth] as ChainCertificate;
    if (certificate.unhandledCritical.length > 0) {
      return {
        code: 'UNHANDLED_CRITICAL_EXTENSION',
        depth,
        detail: certificate.unhandledCritical.join(', '),
      };
    }
    if (depth > 0) {
      const status = caStatusOf(certificate);
      const isAnchor = depth === chain.length - 1;
      if (status === 'no' || (!isAnchor && status !== 'yes')) {
        return { code: 'INVALID_CA', depth, detail: caDetail(certificate) };
      }
    }
    const keyFailure = chain.length > 1 ? keyParameterFailure(certificate, depth) : undefined;
    if (keyFailure) return keyFailure;
    if (purpose && !allowsPurpose(certificate, purpose, depth > 0)) {
      return {
        code: 'INVALID_PURPOSE',
        depth,
        detail: `its key usages do not allow a TLS ${purpose}`,
      };
    }
    const pathLength = certificate.basicConstraints?.pathLength;
    if (depth > 1 && pathLength !== undefined && intermediates > pathLength) {
      return {
        code: 'PATH_LENGTH_EXCEEDED',
        depth,
        detail: `pathlen ${pathLength}, but ${intermediates} intermediate CAs below it`,
      };
    }
    if (depth > 0 && !certificate.selfIssued) intermediates++;
  }
  return undefined;
}

/** check_curve: in a path of two or more, every key must load and name its curve. */
function keyParameterFailure(
  certificate: ChainCertificate,
  depth: number,
): VerifyFailure | undefined {
  if (!certificate.publicKey) {
    return { code: 'UNSPECIFIED', depth, detail: 'its public key cannot be loaded' };
  }
  if (certificate.explicitCurve) return { code: 'EC_KEY_EXPLICIT_PARAMS', depth };
  return undefined;
}

function caDetail(certificate: ChainCertificate): string {
  if (certificate.basicConstraints && !certificate.basicConstraints.ca) {
    return 'it issued a certificate but has basicConstraints CA:FALSE';
  }
  if (!certificate.basicConstraints) return 'it issued a certificate but has no basicConstraints';
  return 'its keyUsage does not allow signing certificates';
}
