import { DEFAULT_CIPHERS, getCiphers } from 'node:tls';
import { offeredCipherSuites } from './client-hello-probe.js';
import { hexId, suiteById, suiteByName, unknownSuite, type CipherSuite } from './suites.js';

/** A suite of an expanded list, with Node's verdict on it. */
export interface ListedCipherSuite extends CipherSuite {
  /**
   * Node's OpenSSL would negotiate it with this cipher string: false when the string's security
   * level drops it (anonymous and NULL suites at Node's default level 1, SHA-1 at level 3…) and
   * for SRP suites, which Node cannot do. PSK suites count as usable: they need a pskCallback.
   */
  usable: boolean;
}

/** An ordered list of suites and where it came from. */
export interface CipherList {
  /** `node`: tls.getCiphers(); `default`: tls.DEFAULT_CIPHERS; `spec`: a cipher string. */
  source: 'node' | 'default' | 'spec';
  /** The cipher string expanded (null for `node`). */
  spec: string | null;
  suites: ListedCipherSuite[];
}

/**
 * Expands an OpenSSL cipher string (`ECDHE+AESGCM:!aNULL`, `HIGH:!SHA1`, suite names, TLS 1.3
 * `TLS_…` names) into the suites it selects, in order, as Node's own OpenSSL expands it: the same
 * list as `openssl ciphers -v SPEC`. Like Node's `ciphers` option, TLS_… names choose the TLS 1.3
 * suites and the rest the TLS 1.2 ones; a string without TLS_… names keeps OpenSSL's default
 * TLS 1.3 suites, listed first, as openssl does. Throws InputError when nothing matches.
 */
export async function expandCipherString(spec: string): Promise<CipherList> {
  const [all, offered] = await Promise.all([
    offeredCipherSuites(spec, { ignoreSecurityLevel: true }),
    offeredCipherSuites(spec),
  ]);
  const usable = new Set(offered);
  return {
    source: 'spec',
    spec,
    suites: all.map((id) => ({ ...suiteById(id), usable: usable.has(id) })),
  };
}

/** Node's default cipher string (tls.DEFAULT_CIPHERS, or --tls-cipher-list), expanded. */
export async function defaultCipherList(): Promise<CipherList> {
  return { ...(await expandCipherString(DEFAULT_CIPHERS)), source: 'default' };
}

/**
 * The suites tls.getCiphers() names (OpenSSL's DEFAULT list plus the five TLS 1.3 suites),
 * TLS 1.3 first, then in Node's (alphabetical) order.
 */
export async function nodeCipherList(): Promise<CipherList> {
  const suites = getCiphers().map(
    (name) => suiteByName(name) ?? unknownSuite('unknown', name.toUpperCase()),
  );
  const known = suites.filter((suite) => suite.id !== 'unknown');
  const offered = new Set(
    (await offeredCipherSuites(known.map(cipherStringName).join(':'))).map(hexId),
  );
  const ordered = [
    ...suites.filter((suite) => suite.protocol === 'TLSv1.3'),
    ...suites.filter((suite) => suite.protocol !== 'TLSv1.3'),
  ];
  return {
    source: 'node',
    spec: null,
    suites: ordered.map((suite) => ({ ...suite, usable: offered.has(suite.id) })),
  };
}

/** The name Node's `ciphers` option takes: IANA for TLS 1.3 suites, OpenSSL's for the rest. */
export function cipherStringName(suite: CipherSuite): string {
  return suite.protocol === 'TLSv1.3' ? suite.iana : suite.openssl;
}
