import type { ServerHello } from '../messages/server-hello.js';
import { cipherSuitesToOffer } from '../registry/cipher-suites.js';
import { sslv2CipherSpecById } from '../registry/sslv2-cipher-specs.js';
import { versionOf, type ProtocolName } from '../registry/versions.js';
import { judge, type Verdict } from './answers.js';
import { encodeProbeHello, encodeSslv2ProbeHello, type ProbeHelloOptions } from './probe-hello.js';
import type { ScanContext } from './scan-context.js';

/** Whether one protocol is supported, from one hello offering every suite defined for it. */
export interface ProtocolProbe {
  protocol: ProtocolName;
  /** null when the probe could not tell (no answer, garbage). */
  supported: boolean | null;
  /** What the server did: `ServerHello`, `alert protocol_version`, `connection closed`… */
  evidence: string;
  /** Why supported is null. */
  error: string | null;
  /** The verdict on the all-suites hello: cipher enumeration's first round. */
  verdict: Verdict;
  /** SSLv2 only: the cipher kinds the SERVER-HELLO lists. */
  sslv2CipherSpecs: number[];
}

export async function probeProtocol(
  context: ScanContext,
  protocol: ProtocolName,
): Promise<ProtocolProbe> {
  if (protocol === 'SSLv2') return probeSslv2(context);
  const suites = cipherSuitesToOffer(versionOf(protocol)).map((row) => row.id);
  const verdict = await sendHello(context, { protocol, cipherSuites: suites });
  return protocolProbeOf(protocol, verdict);
}

/** Sends one probe hello for a ≤ 1.2 or 1.3 protocol and judges the answer. */
export async function sendHello(
  context: ScanContext,
  options: Omit<ProbeHelloOptions, 'serverName'>,
  until: 'server-hello' | 'server-hello-done' = 'server-hello',
): Promise<Verdict> {
  const hello = encodeProbeHello({ ...options, serverName: context.serverName }, context.entropy);
  const outcome = await context.send(hello, until);
  return judge(outcome, versionOf(options.protocol));
}

function protocolProbeOf(protocol: ProtocolName, verdict: Verdict): ProtocolProbe {
  const base = { protocol, verdict, sslv2CipherSpecs: [] };
  switch (verdict.kind) {
    case 'accepted':
      return {
        ...base,
        supported: true,
        evidence: helloEvidence(verdict.serverHello),
        error: null,
      };
    case 'refused':
      return { ...base, supported: false, evidence: verdict.reason, error: null };
    default:
      return { ...base, supported: null, evidence: verdict.reason, error: verdict.reason };
  }
}

function helloEvidence(hello: ServerHello): string {
  return hello.kind === 'hello-retry-request' ? 'HelloRetryRequest' : 'ServerHello';
}

/**
 * SSLv2: one CLIENT-HELLO offering every cipher kind. A SERVER-HELLO lists all the kinds the
 * server has in common with us, so no enumeration is needed; an SSLv2 server with none in common
 * answers with an ERROR, which still shows the protocol is on.
 */
async function probeSslv2(context: ScanContext): Promise<ProtocolProbe> {
  const outcome = await context.send(encodeSslv2ProbeHello(context.entropy), 'sslv2');
  const base = { protocol: 'SSLv2' as const, sslv2CipherSpecs: [] as number[] };
  if (outcome.kind === 'sslv2') {
    const message = outcome.message;
    const verdict: Verdict = { kind: 'refused', reason: 'SSLv2' };
    if (message.kind === 'error') {
      return {
        ...base,
        supported: true,
        evidence: `SSLv2 ERROR ${message.errorCode}`,
        error: null,
        verdict,
      };
    }
    const known = message.cipherSpecs.filter((id) => sslv2CipherSpecById(id) !== undefined);
    return {
      ...base,
      supported: true,
      evidence: 'SSLv2 SERVER-HELLO',
      error: null,
      verdict,
      sslv2CipherSpecs: known,
    };
  }
  // A TLS server answers an SSLv2 hello with a TLS alert or a close: SSLv2 is off.
  const verdict = judge(outcome, 0x0002);
  const answer: Verdict =
    verdict.kind === 'accepted' ? { kind: 'refused', reason: 'answered in TLS' } : verdict;
  return protocolProbeOf('SSLv2', answer);
}
