import type { ChainCertificate } from './chain-certificate.js';
import { likelyIssued } from './issuer-match.js';
import type { TrustStore } from './trust-store.js';
import { validAt } from './validity.js';
import type { VerifyFailure } from './verdict.js';

export interface PathRequest {
  certificate: ChainCertificate;
  untrusted: readonly ChainCertificate[];
  store: TrustStore;
  at: Date;
  /** Most intermediates allowed between the certificate and its trust anchor. */
  maxDepth: number;
  /** Accept any certificate in the store as an anchor, self-signed or not. */
  partialChain: boolean;
}

export interface BuiltPath {
  /** From the certificate verified up to the trust anchor, or as far as it got. */
  chain: ChainCertificate[];
  /** How many certificates at the start of `chain` are not from the trust store. */
  untrustedCount: number;
  trusted: boolean;
  failure?: VerifyFailure;
}

/**
 * Builds the path as OpenSSL 3.0's build_chain does with its defaults (trusted-first): at each
 * step it first asks the trust store for an issuer of the top certificate, and only then the
 * untrusted certificates, each used once. Among several candidates (cross-signed or renewed CAs
 * with the same name) it takes the first that plausibly issued the certificate (name,
 * authorityKeyIdentifier, key type) and is valid now, else the one that expires last. A
 * self-signed certificate is an anchor only if the store holds that very certificate. It stops
 * at a trust anchor, at a self-signed certificate, when no issuer is found, or when the path
 * would exceed maxDepth (which also ends issuer loops).
 */
export function buildPath(request: PathRequest): BuiltPath {
  const builder = new PathBuilder(request);
  return builder.build();
}

// ---------------------------------------------------------------------------------------------

class PathBuilder {
  private readonly chain: ChainCertificate[];
  private readonly pool: ChainCertificate[];
  private untrustedCount = 1;
  private readonly maxLength: number;

  constructor(private readonly request: PathRequest) {
    this.chain = [request.certificate];
    this.pool = [...request.untrusted];
    // The anchor does not count towards the depth limit.
    this.maxLength = request.maxDepth + 1;
  }

  build(): BuiltPath {
    let trusted = this.extend();
    const length = this.chain.length;
    if (!trusted && length <= this.maxLength && length === this.untrustedCount) {
      trusted = this.checkTrust(length);
    }
    const result = { chain: this.chain, untrustedCount: this.untrustedCount, trusted };
    return trusted ? result : { ...result, failure: this.untrustedFailure() };
  }

  /** The search loop; true once the path ends in a trust anchor. */
  private extend(): boolean {
    let searchTrusted = true;
    let searchUntrusted = true;
    while (searchTrusted || searchUntrusted) {
      if (searchTrusted) {
        const step = this.extendFromStore();
        if (step === 'trusted') return true;
        if (step === 'continue') {
          searchUntrusted = false;
          continue;
        }
        if (step === 'stop' || !searchUntrusted) return false;
      }
      if (searchUntrusted && !this.extendFromUntrusted()) {
        searchUntrusted = false;
        searchTrusted = true;
      }
    }
    return false;
  }

  /**
   * One trust-store step. 'trusted': the path is anchored. 'continue': a trusted but not
   * self-signed issuer was added, keep looking above it (in the store only). 'stop': the top was
   * replaced by or matched in the store without anchoring. 'none': nothing found.
   */
  private extendFromStore(): 'trusted' | 'continue' | 'stop' | 'none' {
    const length = this.chain.length;
    const top = this.chain[length - 1] as ChainCertificate;
    const issuer = length > this.maxLength ? undefined : this.trustedIssuerOf(top);
    if (!issuer) return 'none';
    let checkFrom = length;
    let selfSigned = top.selfSigned;
    if (!selfSigned) {
      this.chain.push(issuer);
      selfSigned = issuer.selfSigned;
    } else if (!issuer.der.equals(top.der)) {
      // A self-signed certificate that merely shares a name with an anchor is not that anchor.
      return 'none';
    } else {
      this.untrustedCount = length - 1;
      this.chain[length - 1] = issuer;
      checkFrom = length - 1;
    }
    if (this.checkTrust(checkFrom)) return 'trusted';
    return selfSigned ? 'stop' : 'continue';
  }

  /** One untrusted step; false when there is no (further) untrusted issuer. */
  private extendFromUntrusted(): boolean {
    const top = this.chain[this.chain.length - 1] as ChainCertificate;
    if (top.selfSigned || this.chain.length > this.maxLength) return false;
    const issuer = this.untrustedIssuerOf(top);
    if (!issuer) return false;
    this.pool.splice(this.pool.indexOf(issuer), 1);
    this.chain.push(issuer);
    this.untrustedCount++;
    return true;
  }

  /** check_trust: a self-signed anchor from `from` up, or any anchor with partialChain. */
  private checkTrust(from: number): boolean {
    if (this.chain.slice(from).some((certificate) => certificate.selfSigned)) return true;
    if (from < this.chain.length) return this.request.partialChain;
    if (!this.request.partialChain) return false;
    // Last resort with partialChain: the certificate itself is in the store.
    const leaf = this.chain[0] as ChainCertificate;
    const match = this.candidatesNamed(leaf.subject).find((anchor) => anchor.der.equals(leaf.der));
    if (!match) return false;
    this.chain[0] = match;
    this.untrustedCount = 0;
    return true;
  }

  private trustedIssuerOf(certificate: ChainCertificate): ChainCertificate | undefined {
    return this.bestIssuer(this.candidatesNamed(certificate.issuer), certificate, false);
  }

  private untrustedIssuerOf(certificate: ChainCertificate): ChainCertificate | undefined {
    return this.bestIssuer(this.pool, certificate, true);
  }

  /** The first plausible issuer valid now, else the plausible one that expires last. */
  private bestIssuer(
    candidates: readonly ChainCertificate[],
    certificate: ChainCertificate,
    skipUsed: boolean,
  ): ChainCertificate | undefined {
    let fallback: ChainCertificate | undefined;
    // A self-issued certificate may be followed by itself (key rollover); others not by a repeat.
    const mayRepeat = certificate.selfIssued && this.chain.length === 1;
    for (const candidate of candidates) {
      if (!likelyIssued(candidate, certificate)) continue;
      if (skipUsed && !mayRepeat && this.chain.some((used) => used.der.equals(candidate.der))) {
        continue;
      }
      if (validAt(candidate, this.request.at)) return candidate;
      if (!fallback || candidate.notAfter.getTime() > fallback.notAfter.getTime()) {
        fallback = candidate;
      }
    }
    return fallback;
  }

  private candidatesNamed(name: ChainCertificate['subject']): readonly ChainCertificate[] {
    return this.request.store.named(name);
  }

  /** Why an unanchored path failed, at the depth of its top certificate. */
  private untrustedFailure(): VerifyFailure {
    const length = this.chain.length;
    const depth = length - 1;
    const top = this.chain[depth] as ChainCertificate;
    if (length > this.maxLength) {
      return {
        code: 'CERT_CHAIN_TOO_LONG',
        depth,
        detail: `more than ${this.request.maxDepth} intermediates`,
      };
    }
    if (top.selfSigned) {
      return {
        code: length === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN',
        depth,
        detail: 'it is not a trust anchor',
      };
    }
    return {
      code:
        this.untrustedCount < length
          ? 'UNABLE_TO_GET_ISSUER_CERT'
          : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      depth,
      detail:
        this.untrustedCount < length
          ? 'the trust anchor given is not self-signed and its issuer is missing'
          : 'its issuer is neither among the untrusted certificates nor a trust anchor',
    };
  }
}
