import { identifyDhGroup } from '../../pki/dh/known-groups.js';
import { readFirstFlight } from '../messages/first-flight.js';
import { cipherSuiteById, cipherSuitesToOffer } from '../registry/cipher-suites.js';
import { ffdheGroups, groupName } from '../registry/groups.js';
import { versionOf, type ProtocolName } from '../registry/versions.js';
import { isProbeParseError } from '../wire/probe-parse-error.js';
import type { Verdict } from './answers.js';
import { enumerateByRemoval, type Answer, type Enumeration } from './enumerate.js';
import {
  DEFAULT_KEY_SHARE_GROUPS,
  OFFERED_ECDHE_CURVES,
  OFFERED_TLS13_GROUPS,
} from './probe-hello.js';
import { sendHello } from './protocols.js';
import type { ScanContext } from './scan-context.js';

/** How the server met the key shares of an ordinary TLS 1.3 hello (X25519 and P-256). */
export interface KeyShareResponse {
  offered: number[];
  /** `server-hello`: it took one of them; `hello-retry-request`: it asked for another group. */
  answer: 'server-hello' | 'hello-retry-request';
  group: number | null;
}

/**
 * TLS 1.3 groups, by enumeration with empty key_share lists: with no share to accept, a server
 * must answer with a HelloRetryRequest naming the group it wants (RFC 8446 §4.1.4), so each hello
 * names one supported group and costs no key generation.
 */
export function enumerateTls13Groups(
  context: ScanContext,
  cipherSuites: readonly number[],
): Promise<Enumeration<number>> {
  return enumerateByRemoval(
    OFFERED_TLS13_GROUPS,
    async (offer) => {
      const verdict = await sendHello(context, {
        protocol: 'TLS1.3',
        cipherSuites,
        groups: offer,
        keyShareGroups: [],
      });
      return selectedGroupOf(verdict);
    },
    { nameOf: groupName },
  );
}

/** Reads the TLS 1.3 protocol probe's answer to its X25519 and P-256 shares. */
export function keyShareResponseOf(verdict: Verdict): KeyShareResponse | null {
  if (verdict.kind !== 'accepted') return null;
  const hello = verdict.serverHello;
  return {
    offered: [...DEFAULT_KEY_SHARE_GROUPS],
    answer: hello.kind,
    group: hello.selectedGroup,
  };
}

/**
 * TLS ≤ 1.2 ECDHE curves: hellos offering only ECDHE suites and the curves not yet found; each
 * ServerKeyExchange names the curve the server chose.
 */
export function enumerateEcdheCurves(
  context: ScanContext,
  protocol: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'>,
  ecdheSuites: readonly number[],
): Promise<Enumeration<number>> {
  return enumerateByRemoval(
    OFFERED_ECDHE_CURVES,
    async (offer) => {
      const verdict = await sendHello(
        context,
        { protocol, cipherSuites: ecdheSuites, groups: offer },
        'server-hello-done',
      );
      return curveOf(verdict);
    },
    { nameOf: groupName },
  );
}

export interface DhParametersFinding {
  primeBits: number;
  /** `ffdhe2048 (RFC 7919)`, `modp14 (RFC 3526)`, or null for the server's own parameters. */
  group: string | null;
  error: string | null;
}

/**
 * The DH group of a DHE suite, from one ServerKeyExchange. The hello lists only the RFC 7919
 * groups in supported_groups: a server that implements RFC 7919 picks one of them, any other sends
 * its own parameters, and either way the prime's size is what counts. Null when the server
 * refuses every DHE suite.
 */
export async function probeDhParameters(
  context: ScanContext,
  protocol: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'>,
  dheSuites: readonly number[],
): Promise<DhParametersFinding | null> {
  const groups = ffdheGroups().map((row) => row.id);
  const verdict = await sendHello(
    context,
    { protocol, cipherSuites: dheSuites, groups },
    'server-hello-done',
  );
  // Refused: the server has no DHE suite.
  if (verdict.kind === 'refused') return null;
  if (verdict.kind !== 'accepted') return { primeBits: 0, group: null, error: verdict.reason };
  try {
    const flight = readFirstFlight(verdict.serverHello, verdict.outcome.messages);
    const exchange = flight.serverKeyExchange;
    if (exchange?.kind !== 'dhe')
      return { primeBits: 0, group: null, error: 'no DH ServerKeyExchange' };
    const known = identifyDhGroup({
      prime: BigInt(`0x${Buffer.from(exchange.prime).toString('hex')}`),
      generator: BigInt(`0x${Buffer.from(exchange.generator).toString('hex')}`),
    });
    return {
      primeBits: exchange.primeBits,
      group: known ? `${known.name} (${known.standard})` : null,
      error: null,
    };
  } catch (error) {
    if (!isProbeParseError(error)) throw error;
    return { primeBits: 0, group: null, error: error.message };
  }
}

/** The ECDHE and DHE suites to offer for a protocol: those found, or every one defined. */
export function suitesWithKeyExchange(
  protocol: ProtocolName,
  kx: 'ECDHE' | 'DHE',
  found: readonly number[] | null,
): number[] {
  const pool = found ?? cipherSuitesToOffer(versionOf(protocol)).map((row) => row.id);
  return pool.filter((id) => {
    const suite = cipherSuiteById(id);
    return suite?.kx === kx && suite.au !== 'anon';
  });
}

function selectedGroupOf(verdict: Verdict): Answer<number> {
  if (verdict.kind === 'refused') return { kind: 'refused', reason: verdict.reason };
  if (verdict.kind !== 'accepted') return { kind: 'failed', reason: verdict.reason };
  const group = verdict.serverHello.selectedGroup;
  if (group === null) return { kind: 'failed', reason: 'a TLS 1.3 answer without key_share' };
  return { kind: 'picked', item: group };
}

function curveOf(verdict: Verdict): Answer<number> {
  if (verdict.kind === 'refused') return { kind: 'refused', reason: verdict.reason };
  if (verdict.kind !== 'accepted') return { kind: 'failed', reason: verdict.reason };
  try {
    const exchange = readFirstFlight(
      verdict.serverHello,
      verdict.outcome.messages,
    ).serverKeyExchange;
    if (exchange?.kind !== 'ecdhe' || exchange.group === null) {
      return { kind: 'failed', reason: 'no named curve in the ServerKeyExchange' };
    }
    return { kind: 'picked', item: exchange.group };
  } catch (error) {
    if (!isProbeParseError(error)) throw error;
    return { kind: 'failed', reason: error.message };
  }
}
