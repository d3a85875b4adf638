import type { ServerEvent } from './events.js';

/** What a server did over its life: the last line of `tlskit serve --json`. */
export interface ServerSummary {
  type: 'summary';
  startedAt: string;
  /** null while the server runs. */
  stoppedAt: string | null;
  uptimeMs: number;
  connections: number;
  /** Handshakes completed. */
  secureConnections: number;
  resumed: number;
  /** Connections that presented a certificate, by verdict. */
  clientCertificates: { authorized: number; unauthorized: number };
  clientErrors: number;
  /** clientError codes (or reasons when no code) and how often each happened. */
  clientErrorReasons: Record<string, number>;
  socketErrors: number;
  renegotiations: number;
  renegotiationLimitHits: number;
  dropped: number;
  /** Connections still open when the summary was made. */
  openConnections: number;
  bytesRead: number;
  bytesWritten: number;
  plaintextBytesRead: number;
  plaintextBytesWritten: number;
  /** How often each was negotiated. */
  protocols: Record<string, number>;
  ciphers: Record<string, number>;
  alpnProtocols: Record<string, number>;
  servernames: Record<string, number>;
  sessions: { stored: number; found: number; missed: number };
  ocspStapled: number;
  workerExits: number;
}

/**
 * Folds events into a summary as they come, so a long-running server keeps counts, not events.
 * Works the same on a worker's events relayed to the primary.
 */
export class SummaryBuilder {
  private readonly summary: ServerSummary;

  constructor(private readonly startedAt: Date) {
    this.summary = {
      type: 'summary',
      startedAt: startedAt.toISOString(),
      stoppedAt: null,
      uptimeMs: 0,
      connections: 0,
      secureConnections: 0,
      resumed: 0,
      clientCertificates: { authorized: 0, unauthorized: 0 },
      clientErrors: 0,
      clientErrorReasons: {},
      socketErrors: 0,
      renegotiations: 0,
      renegotiationLimitHits: 0,
      dropped: 0,
      openConnections: 0,
      bytesRead: 0,
      bytesWritten: 0,
      plaintextBytesRead: 0,
      plaintextBytesWritten: 0,
      protocols: {},
      ciphers: {},
      alpnProtocols: {},
      servernames: {},
      sessions: { stored: 0, found: 0, missed: 0 },
      ocspStapled: 0,
      workerExits: 0,
    };
  }

  add(event: ServerEvent): void {
    const summary = this.summary;
    switch (event.type) {
      case 'connection':
        summary.connections += 1;
        summary.openConnections += 1;
        break;
      case 'secure':
        summary.secureConnections += 1;
        if (event.resumed) summary.resumed += 1;
        if (event.peerCertificate) {
          summary.clientCertificates[event.authorized ? 'authorized' : 'unauthorized'] += 1;
        }
        count(summary.protocols, event.protocol ?? 'unknown');
        count(summary.ciphers, event.cipher);
        if (event.alpnProtocol) count(summary.alpnProtocols, event.alpnProtocol);
        if (event.servername) count(summary.servernames, event.servername);
        break;
      case 'clientError':
        summary.clientErrors += 1;
        count(summary.clientErrorReasons, event.code ?? event.reason);
        break;
      case 'socketError':
        summary.socketErrors += 1;
        break;
      case 'renegotiation':
        if (event.limitReached) summary.renegotiationLimitHits += 1;
        else summary.renegotiations += 1;
        break;
      case 'drop':
        summary.dropped += 1;
        break;
      case 'close':
        summary.openConnections -= 1;
        summary.bytesRead += event.bytesRead;
        summary.bytesWritten += event.bytesWritten;
        summary.plaintextBytesRead += event.plaintextBytesRead;
        summary.plaintextBytesWritten += event.plaintextBytesWritten;
        break;
      case 'session':
        summary.sessions[event.action] += 1;
        break;
      case 'ocsp':
        if (event.stapled) summary.ocspStapled += 1;
        break;
      case 'workerExit':
        summary.workerExits += 1;
        break;
      case 'listening':
      case 'starttls':
        break;
    }
  }

  /** A copy of the counts at `now`; `stopped` marks it final. */
  snapshot(now: Date, stopped = false): ServerSummary {
    return {
      ...structuredClone(this.summary),
      stoppedAt: stopped ? now.toISOString() : null,
      uptimeMs: now.getTime() - this.startedAt.getTime(),
    };
  }
}

function count(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
