import type { Socket } from 'node:net';
import tls from 'node:tls';
import { messageOf } from '../../errors.js';
import type { Connector, Endpoint } from './connector.js';

/** What a full handshake through Node's TLS stack shows, for what TLS 1.3 encrypts. */
export interface NodeTlsHandshake {
  /** The peer's certificates as Node received them (leaf first), DER. */
  chain: Buffer[];
  ocspResponse: Buffer | null;
  alpnProtocol: string | null;
  protocol: string | null;
}

export interface NodeTlsOptions {
  servername: string | null;
  timeoutMs: number;
  minVersion?: tls.SecureVersion;
  alpn?: readonly string[];
}

/**
 * One handshake over the target's connector (so STARTTLS works too), trusting nothing: the chain
 * is judged afterwards, by the scan's own rules. Bounded by `timeoutMs`: Node's tls.connect has no
 * handshake timeout of its own.
 */
export async function nodeTlsHandshake(
  connector: Connector,
  endpoint: Endpoint,
  options: NodeTlsOptions,
): Promise<NodeTlsHandshake | { error: string }> {
  let raw: Socket;
  try {
    raw = await connector(endpoint, options.timeoutMs);
  } catch (error) {
    return { error: messageOf(error) };
  }
  return new Promise((resolve) => {
    let ocspResponse: Buffer | null = null;
    // requestOCSP reaches the TLSSocket that tls.connect makes; @types/node leaves it out.
    const connectOptions: tls.ConnectionOptions & { requestOCSP: boolean } = {
      socket: raw,
      servername: options.servername ?? undefined,
      rejectUnauthorized: false,
      requestOCSP: true,
      minVersion: options.minVersion ?? 'TLSv1',
      ALPNProtocols: options.alpn ? [...options.alpn] : undefined,
    };
    const socket = tls.connect(connectOptions);
    const finish = (result: NodeTlsHandshake | { error: string }) => {
      clearTimeout(timer);
      socket.destroy();
      raw.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ error: `no TLS handshake within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    socket.once('OCSPResponse', (response: Buffer) => {
      ocspResponse = response;
    });
    socket.once('secureConnect', () =>
      finish({
        chain: peerChain(socket),
        ocspResponse,
        alpnProtocol: socket.alpnProtocol || null,
        protocol: socket.getProtocol(),
      }),
    );
    socket.once('error', (error) => finish({ error: messageOf(error) }));
  });
}

/** The leaf, then each issuer Node found among the certificates the server sent. */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  for (
    let certificate: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
    certificate?.raw && !seen.has(certificate.fingerprint256);
    certificate = certificate.issuerCertificate
  ) {
    seen.add(certificate.fingerprint256);
    chain.push(certificate.raw);
  }
  return chain;
}
