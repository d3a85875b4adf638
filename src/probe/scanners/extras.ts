import type { ServerHello } from '../messages/server-hello.js';
import { AlertDescription } from '../registry/alerts.js';
import { cipherSuitesToOffer } from '../registry/cipher-suites.js';
import { versionOf, type ProtocolName } from '../registry/versions.js';
import { nodeTlsHandshake } from '../transport/node-tls-handshake.js';
import { judge } from './answers.js';
import { enumerateByRemoval, type Answer, type Enumeration } from './enumerate.js';
import { encodeProbeHello } from './probe-hello.js';
import { sendHello } from './protocols.js';
import type { ScanContext } from './scan-context.js';

/** The extras a TLS ≤ 1.2 ServerHello answers without any extra hello. */
export interface HelloExtras {
  secureRenegotiation: boolean;
  sessionIds: boolean;
  sessionTickets: boolean;
  compression: boolean;
  extendedMasterSecret: boolean;
  encryptThenMac: boolean;
  ocspStapling: boolean;
}

/** Reads the protocol probe's ServerHello: every probe hello asks for all of these. */
export function extrasOfHello(hello: ServerHello): HelloExtras {
  return {
    secureRenegotiation: hello.renegotiationInfo !== null,
    sessionIds: hello.sessionId.length > 0,
    sessionTickets: hello.sessionTicket,
    // Probe hellos offer DEFLATE first: a server that still compresses picks it.
    compression: hello.compressionMethod !== 0,
    extendedMasterSecret: hello.extendedMasterSecret,
    encryptThenMac: hello.encryptThenMac,
    ocspStapling: hello.statusRequest,
  };
}

/**
 * TLS_FALLBACK_SCSV (RFC 7507): a hello for a lower version than the server's best, marked as a
 * fallback, must meet an inappropriate_fallback alert. Null when the answer says neither.
 */
export async function probeFallbackScsv(
  context: ScanContext,
  lowerProtocol: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'>,
): Promise<boolean | null> {
  const hello = encodeProbeHello(
    {
      protocol: lowerProtocol,
      cipherSuites: cipherSuitesToOffer(versionOf(lowerProtocol)).map((row) => row.id),
      serverName: context.serverName,
      fallbackScsv: true,
    },
    context.entropy,
  );
  const outcome = await context.send(hello, 'server-hello');
  if (outcome.kind === 'alert')
    return outcome.alert.description === AlertDescription.inappropriateFallback;
  return judge(outcome, versionOf(lowerProtocol)).kind === 'accepted' ? false : null;
}

/**
 * ALPN protocols, by enumeration: each hello offers those not yet found and the ServerHello
 * names one (TLS ≤ 1.2). TLS 1.3 sends the choice encrypted: a TLS 1.3-only server is asked
 * through Node's TLS, one handshake per protocol found.
 */
export function enumerateAlpn(
  context: ScanContext,
  protocols: readonly string[],
  legacyProtocol: Exclude<ProtocolName, 'SSLv2' | 'TLS1.3'> | null,
): Promise<Enumeration<string>> {
  const ask = legacyProtocol
    ? async (offer: string[]): Promise<Answer<string>> => {
        const verdict = await sendHello(context, {
          protocol: legacyProtocol,
          cipherSuites: cipherSuitesToOffer(versionOf(legacyProtocol)).map((row) => row.id),
          alpn: offer,
        });
        if (verdict.kind === 'accepted') {
          const chosen = verdict.serverHello.alpnProtocol;
          return chosen === null
            ? { kind: 'refused', reason: 'no ALPN in the ServerHello' }
            : { kind: 'picked', item: chosen };
        }
        return verdict.kind === 'refused'
          ? { kind: 'refused', reason: verdict.reason }
          : { kind: 'failed', reason: verdict.reason };
      }
    : async (offer: string[]): Promise<Answer<string>> => {
        const result = await context.withConnection(() =>
          nodeTlsHandshake(context.connector, context.endpoint, {
            servername: context.serverName,
            timeoutMs: context.timeoutMs,
            alpn: offer,
          }),
        );
        if ('error' in result) {
          // A server that insists on ALPN refuses the handshake with no_application_protocol.
          return /no_application_protocol|no application protocol/i.test(result.error)
            ? { kind: 'refused', reason: result.error }
            : { kind: 'failed', reason: result.error };
        }
        return result.alpnProtocol
          ? { kind: 'picked', item: result.alpnProtocol }
          : { kind: 'refused', reason: 'no ALPN' };
      };
  return enumerateByRemoval(protocols, ask, { detectPreference: false });
}
