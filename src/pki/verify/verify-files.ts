import { rootCertificates } from 'node:tls';
import { UsageError } from '../../errors.js';
import { parseTimeSpec } from '../validity.js';
import { readPkiFile } from './bundle-reader.js';
import type { ChainCertificate } from './chain-certificate.js';
import type { RevocationList } from './crl-reader.js';
import { parseHostName, parseIpAddress } from './host-match.js';
import { createLazyTrustStore, createTrustStore, type TrustStore } from './trust-store.js';
import type { VerifyPurpose } from './purpose.js';
import type { CrlCheckScope } from './revocation.js';
import type { VerifyVerdict } from './verdict.js';
import { verifyChain } from './verify-chain.js';

export interface VerifyFilesOptions {
  /** The certificate to verify; any further certificates in the file are untrusted intermediates. */
  certificate: string;
  /** Trust anchor files (certificates; CRLs in them are used too, as openssl -CAfile does). */
  ca?: readonly string[];
  /** Untrusted intermediate files. */
  untrusted?: readonly string[];
  crls?: readonly string[];
  /** Default `leaf` when `crls` are given, else no revocation check. */
  crlCheck?: CrlCheckScope;
  host?: string;
  ip?: string;
  purpose?: VerifyPurpose;
  /** A time spec (parseTimeSpec) or a date; default now. */
  at?: string | Date;
  partialChain?: boolean;
  /** The clock for `at` durations and the default time. */
  now?: Date;
}

/** One certificate of the path, for people and scripts. */
export interface PathCertificate {
  subject: string;
  issuer: string;
  /** The file it came from (`chain.pem #2`), or `Node's bundled roots`. */
  source: string;
  notBefore: string;
  notAfter: string;
  fingerprint256: string;
}

/** The verdict, plus what it was checked against. This is `tlskit verify --json`. */
export interface VerifyFilesResult extends VerifyVerdict {
  file: string;
  certificates: PathCertificate[];
  trustAnchors: {
    /** `files`: the --ca files; `node`: Node's bundled Mozilla roots (tls.rootCertificates). */
    source: 'files' | 'node';
    files: string[];
    count: number;
  };
  checked: {
    host: string | null;
    ip: string | null;
    purpose: VerifyPurpose | null;
    crlCheck: CrlCheckScope | null;
    crls: number;
  };
}

export const NODE_ROOTS_SOURCE = "Node's bundled roots";

/**
 * `tlskit verify`: reads the files, validates the path with verifyChain, and reports. Without
 * `ca`, the anchors are Node's bundled roots (what `tls.connect` trusts by default). Unreadable
 * or malformed files are InputErrors; a failed check is a verdict with `ok: false`.
 */
export async function verifyCertificateFiles(
  options: VerifyFilesOptions,
): Promise<VerifyFilesResult> {
  const now = options.now ?? new Date();
  const at =
    options.at === undefined
      ? now
      : typeof options.at === 'string'
        ? parseTimeSpec(options.at, now, '--at')
        : options.at;
  if (options.host !== undefined && options.ip !== undefined) {
    throw new UsageError('--host and --ip both name the peer', { hint: 'give one of them' });
  }
  const host = options.host === undefined ? undefined : parseHostName(options.host);
  const ip = options.ip === undefined ? undefined : parseIpAddress(options.ip);
  const [leaf, ...bundled] = (await readPkiFile(options.certificate, 'certificate')).certificates;
  const untrusted = [...bundled];
  for (const path of options.untrusted ?? []) {
    untrusted.push(...(await readPkiFile(path, 'certificate')).certificates);
  }
  const anchors: ChainCertificate[] = [];
  const crls: RevocationList[] = [];
  for (const path of options.crls ?? []) crls.push(...(await readPkiFile(path, 'crl')).crls);
  for (const path of options.ca ?? []) {
    const bundle = await readPkiFile(path, 'certificate');
    anchors.push(...bundle.certificates);
    crls.push(...bundle.crls);
  }
  const fromFiles = (options.ca ?? []).length > 0;
  const trusted = fromFiles ? createTrustStore(anchors) : nodeRoots();
  // Unlike openssl, which ignores -CRLfile without -crl_check, a CRL given is a CRL to check.
  const crlCheck = options.crlCheck ?? ((options.crls ?? []).length > 0 ? 'leaf' : undefined);
  const { verdict, path } = verifyChain({
    certificate: leaf as ChainCertificate,
    untrusted,
    trusted,
    crls,
    crlCheck,
    host,
    ip,
    purpose: options.purpose,
    at,
    partialChain: options.partialChain,
  });
  return {
    ...verdict,
    file: options.certificate,
    certificates: path.map(describePathCertificate),
    trustAnchors: {
      source: fromFiles ? 'files' : 'node',
      files: [...(options.ca ?? [])],
      count: trusted.size,
    },
    checked: {
      host: host ?? null,
      ip: options.ip ?? null,
      purpose: options.purpose ?? null,
      crlCheck: crlCheck ?? null,
      crls: crls.length,
    },
  };
}

// ---------------------------------------------------------------------------------------------

let cachedNodeRoots: TrustStore | undefined;

/** Node's bundled Mozilla roots (tls.rootCertificates), indexed once per process. */
function nodeRoots(): TrustStore {
  cachedNodeRoots ??= createLazyTrustStore(
    rootCertificates.map((pem, index) => ({
      der: pemToDer(pem),
      source: `${NODE_ROOTS_SOURCE} #${index + 1}`,
    })),
  );
  return cachedNodeRoots;
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function describePathCertificate(certificate: ChainCertificate): PathCertificate {
  return {
    subject: certificate.subjectText,
    issuer: certificate.issuerText,
    source: certificate.source,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    fingerprint256: certificate.x509.fingerprint256,
  };
}
