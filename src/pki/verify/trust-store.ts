import {
  parseChainCertificate,
  subjectOfCertificate,
  type ChainCertificate,
} from './chain-certificate.js';
import { keyOf, type CanonicalName } from './name-canon.js';

/** Trust anchors, looked up by subject name. Identical certificates are kept once. */
export interface TrustStore {
  /** How many anchors it holds. */
  size: number;
  /** The anchors with this subject, in the order they were given. */
  named(subject: CanonicalName): readonly ChainCertificate[];
}

export function createTrustStore(certificates: readonly ChainCertificate[]): TrustStore {
  const bySubject = new Map<string, ChainCertificate[]>();
  const seen = new Set<string>();
  for (const certificate of certificates) {
    const fingerprint = certificate.der.toString('base64');
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const key = keyOf(certificate.subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), certificate]);
  }
  return { size: seen.size, named: (subject) => bySubject.get(keyOf(subject)) ?? [] };
}

/**
 * A store of DER certificates that are parsed only when a path asks for their subject: Node's
 * 140-odd bundled roots cost a third of a second to parse in full, one lookup almost nothing.
 * A certificate that does not parse is left out, as OpenSSL skips unreadable store entries.
 */
export function createLazyTrustStore(
  entries: ReadonlyArray<{ der: Uint8Array; source: string }>,
): TrustStore {
  const pending = new Map<string, Array<{ der: Uint8Array; source: string }>>();
  const seen = new Set<string>();
  for (const entry of entries) {
    const fingerprint = Buffer.from(entry.der).toString('base64');
    if (seen.has(fingerprint)) continue;
    let subject: CanonicalName;
    try {
      subject = subjectOfCertificate(entry.der);
    } catch {
      continue;
    }
    seen.add(fingerprint);
    const key = keyOf(subject);
    pending.set(key, [...(pending.get(key) ?? []), entry]);
  }
  const parsed = new Map<string, ChainCertificate[]>();
  return {
    size: seen.size,
    named(subject) {
      const key = keyOf(subject);
      let certificates = parsed.get(key);
      if (!certificates) {
        certificates = (pending.get(key) ?? []).flatMap((entry) => {
          try {
            return [parseChainCertificate(entry.der, entry.source)];
          } catch {
            return [];
          }
        });
        parsed.set(key, certificates);
      }
      return certificates;
    },
  };
}
