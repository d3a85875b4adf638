import { cipherSuiteName, cipherSuitesToOffer } from '../registry/cipher-suites.js';
import { versionOf, type ProtocolName } from '../registry/versions.js';
import type { Verdict } from './answers.js';
import { enumerateByRemoval, type Answer, type Enumeration } from './enumerate.js';
import { sendHello } from './protocols.js';
import type { ScanContext } from './scan-context.js';

/**
 * Every suite a server accepts for one protocol, by enumeration (enumerate.ts). `first` is the
 * protocol probe's all-suites hello, so a protocol costs (supported + 1) hellos in all, plus one
 * when the server enforces its own order.
 */
export async function enumerateCipherSuites(
  context: ScanContext,
  protocol: Exclude<ProtocolName, 'SSLv2'>,
  first: Verdict,
): Promise<Enumeration<number>> {
  const version = versionOf(protocol);
  const candidates = cipherSuitesToOffer(version).map((row) => row.id);
  return enumerateByRemoval(
    candidates,
    async (offer) => answerOf(await sendHello(context, { protocol, cipherSuites: offer })),
    { first: answerOf(first), nameOf: cipherSuiteName },
  );
}

/** A verdict as an enumeration answer: the suite the server picked (a HelloRetryRequest names one too). */
export function answerOf(verdict: Verdict): Answer<number> {
  if (verdict.kind === 'accepted') return { kind: 'picked', item: verdict.serverHello.cipherSuite };
  if (verdict.kind === 'refused') return { kind: 'refused', reason: verdict.reason };
  return { kind: 'failed', reason: verdict.reason };
}
