/**
 * Path validation that agrees with `openssl verify` (OpenSSL 3.0, default flags) on the verdict,
 * the first error and its depth: checked on the agreement table in
 * test/interop/verify-openssl.test.ts and on all 208 cases of the x509-limbo suite.
 *
 * Where tlskit deliberately does not follow openssl verify:
 * - No -x509_strict checks (present and non-critical key identifiers, critical basicConstraints
 *   on CAs, keyUsage on CAs, and so on), no certificate policies (-policy, -explicit_policy),
 *   no security-level key and digest limits (-auth_level), no DANE, OCSP or proxy certificates.
 *   SHA-1 signatures verify, as they do in openssl verify.
 * - CRLs: delta CRLs, indirect CRLs and CRLs partitioned by reason are never used (OpenSSL too,
 *   unless -extended_crl); distribution points named relative to the CRL issuer are not compared.
 * - Trust settings of `TRUSTED CERTIFICATE` PEM blocks are not read.
 * - The file layer (verify-files.ts) reads every certificate of CERT (openssl only the first),
 *   turns an IDN --host into A-labels (openssl compares the bytes given), uses Node's bundled
 *   roots without --ca (openssl the system store), and checks the leaf when --crl is given
 *   without --crl-check (openssl ignores -CRLfile without -crl_check).
 */
import type { ChainCertificate } from './chain-certificate.js';
import type { RevocationList } from './crl-reader.js';
import { checkExtensions } from './extension-checks.js';
import { formatIpAddress, matchesHost, matchesIp } from './host-match.js';
import { likelyIssued } from './issuer-match.js';
import { checkNameConstraints } from './name-constraints.js';
import { buildPath } from './path-builder.js';
import type { VerifyPurpose } from './purpose.js';
import { checkRevocation, type CrlCheckScope } from './revocation.js';
import { signatureFailure } from './signature.js';
import { createTrustStore, type TrustStore } from './trust-store.js';
import { validityFailure } from './validity.js';
import { failedVerdict, passedVerdict, type VerifyFailure, type VerifyVerdict } from './verdict.js';

/** OpenSSL's default verify depth: at most 100 intermediates. */
export const DEFAULT_MAX_DEPTH = 100;

export interface VerifyChainOptions {
  /** The certificate to verify. */
  certificate: ChainCertificate;
  /** Intermediates offered with it, in any order; none is trusted. */
  untrusted?: readonly ChainCertificate[];
  /** Trust anchors. */
  trusted: readonly ChainCertificate[] | TrustStore;
  /** Certificate revocation lists, used only with `crlCheck`. */
  crls?: readonly RevocationList[];
  crlCheck?: CrlCheckScope;
  /** Host name the certificate must be valid for (already in A-label form, see parseHostName). */
  host?: string;
  /** IP address octets the certificate must be valid for (see parseIpAddress). */
  ip?: Uint8Array;
  purpose?: VerifyPurpose;
  /** Verification time; default now. */
  at?: Date;
  /** Accept a non-self-signed certificate in `trusted` as an anchor (X509_V_FLAG_PARTIAL_CHAIN). */
  partialChain?: boolean;
  maxDepth?: number;
}

/** A verdict with the certificates of the path (leaf first) it was reached on. */
export interface ChainVerification {
  verdict: VerifyVerdict;
  path: ChainCertificate[];
}

/**
 * RFC 5280 path validation with OpenSSL 3.0's semantics and order of checks (verify_chain), so
 * the verdict, its reason and its depth agree with `openssl verify`: build the path; check each
 * certificate's extensions (CA, purpose, path length); the host name or IP address; revocation;
 * then signatures and validity periods from the anchor down; then name constraints. The first
 * failure is the verdict. Like OpenSSL, the anchor's own signature and a purpose or name it
 * does not state are not checked, and a self-signed certificate verifies when it is itself
 * trusted.
 */
export function verifyChain(options: VerifyChainOptions): ChainVerification {
  const at = options.at ?? new Date();
  const store = 'named' in options.trusted ? options.trusted : createTrustStore(options.trusted);
  const built = buildPath({
    certificate: options.certificate,
    untrusted: options.untrusted ?? [],
    store,
    at,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    partialChain: options.partialChain ?? false,
  });
  const path = built.chain;
  const subjects = path.map((certificate) => certificate.subjectText);
  const failure =
    built.failure ??
    checkExtensions(path, options.purpose) ??
    identityFailure(options.certificate, options) ??
    (options.crlCheck
      ? checkRevocation(path, options.crls ?? [], options.crlCheck, at)
      : undefined) ??
    signaturesAndValidity(path, at, options.partialChain ?? false) ??
    checkNameConstraints(path);
  const verdict = failure
    ? failedVerdict(failure, subjects, built.trusted, at)
    : passedVerdict(subjects, at);
  return { verdict, path };
}

// ---------------------------------------------------------------------------------------------

/** check_id: the requested host name or address, on the certificate verified. */
function identityFailure(
  certificate: ChainCertificate,
  options: VerifyChainOptions,
): VerifyFailure | undefined {
  if (options.host !== undefined && !matchesHost(certificate, options.host)) {
    return { code: 'HOSTNAME_MISMATCH', depth: 0, detail: `not valid for ${options.host}` };
  }
  if (options.ip !== undefined && !matchesIp(certificate, options.ip)) {
    return {
      code: 'IP_ADDRESS_MISMATCH',
      depth: 0,
      detail: `not valid for ${formatIpAddress(options.ip)}`,
    };
  }
  return undefined;
}

/**
 * internal_verify: from the top down, each certificate's signature by the one above it, then
 * its validity period. The top's own signature is not checked (an anchor is trusted as it is);
 * its validity period is.
 */
function signaturesAndValidity(
  path: readonly ChainCertificate[],
  at: Date,
  partialChain: boolean,
): VerifyFailure | undefined {
  let depth = path.length - 1;
  const top = path[depth] as ChainCertificate;
  if (!likelyIssued(top, top) && !partialChain) {
    // Only a failed (and already reported) path can end below a self-issued certificate.
    depth--;
  }
  let issuer = path[depth] as ChainCertificate;
  for (; depth >= 0; depth--) {
    const subject = path[depth] as ChainCertificate;
    if (subject !== issuer) {
      const failure = signatureFailure(subject, depth, issuer, depth + 1);
      if (failure) return failure;
    }
    const expired = validityFailure(subject, depth, at);
    if (expired) return expired;
    issuer = subject;
  }
  return undefined;
}
