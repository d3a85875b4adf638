import { PLAIN_PALETTE, type Palette } from '../../render/text-tree.js';
import type { ServerEvent } from './events.js';
import type { ServerSummary } from './summary.js';

/** Lines under an event line start where its "what" column does: after `HH:MM:SS.mmm #conn `. */
const INDENT = ' '.repeat('00:00:00.000'.length + 1 + 6 + 1);

/**
 * One human line per event (the listening event adds a line per certificate): the local time,
 * the connection (`#3`, or `w2#3` on worker 2), what happened, and what was negotiated.
 */
export function formatEventLines(event: ServerEvent, palette: Palette = PLAIN_PALETTE): string[] {
  const time = palette.muted(clockTime(event.time));
  const who =
    'connection' in event
      ? connectionLabel(event.worker, event.connection)
      : workerLabel(event.worker);
  const prefix = `${time} ${who.padEnd(6)}`;
  const line = (what: string, detail: string) => `${prefix} ${what.padEnd(13)} ${detail}`.trimEnd();
  switch (event.type) {
    case 'listening': {
      const mode = event.mode === 'custom' ? 'your handler' : event.mode;
      const starttls = event.starttls
        ? ` after a ${event.starttls.toUpperCase()} STARTTLS dialogue`
        : '';
      const workers = event.workers > 1 ? ` in ${event.workers} worker processes` : '';
      return [
        `${prefix} ${palette.good('listening'.padEnd(13))} ${palette.heading(event.url)} (${mode}${starttls})${workers}`,
        ...event.identities.map(
          (identity) =>
            `${INDENT}${palette.label('certificate'.padEnd(13))} ${identity.subject} · ${identity.key} · ${identity.source} · until ${identity.notAfter.slice(0, 10)}`,
        ),
        `${INDENT}${palette.label('try'.padEnd(13))} ${palette.muted(tryCommand(event))}`,
      ];
    }
    case 'connection':
      return [line('connection', `from ${address(event.remoteAddress, event.remotePort)}`)];
    case 'starttls':
      return [line('starttls', `${event.protocol.toUpperCase()} client asked to upgrade`)];
    case 'secure': {
      const parts = [`${event.protocol ?? '?'} ${event.cipher}`];
      if (event.servername) parts.push(`sni ${event.servername}`);
      if (event.alpnProtocol) parts.push(`alpn ${event.alpnProtocol}`);
      parts.push(event.resumed ? palette.good('resumed') : 'new session');
      if (event.peerCertificate) {
        const verdict = event.authorized
          ? palette.good('authorized')
          : palette.bad(`not authorized: ${event.authorizationError ?? 'unknown'}`);
        parts.push(`client ${event.peerCertificate.subject} (${verdict})`);
      } else if (event.authorizationError) {
        parts.push(palette.warning(`no client certificate (${event.authorizationError})`));
      }
      return [`${prefix} ${palette.good('secure'.padEnd(13))} ${parts.join(' · ')}`];
    }
    case 'session':
      return [line('session', `${event.action} ${event.sessionId.slice(0, 16)}…`)];
    case 'ocsp':
      return [
        line(
          'ocsp',
          event.stapled
            ? `stapled ${event.bytes} bytes`
            : 'requested; nothing to staple for this certificate',
        ),
      ];
    case 'clientError':
      return [
        `${prefix} ${palette.bad('client error'.padEnd(13))} ${event.code ? `${event.code}: ` : ''}${event.reason}`,
      ];
    case 'renegotiation':
      return event.limitReached
        ? [
            `${prefix} ${palette.bad('renegotiation'.padEnd(13))} limit of ${event.limit} per ${event.windowSeconds} s reached: connection closed`,
          ]
        : [
            line(
              'renegotiation',
              `${event.count} on this connection (limit ${event.limit} per ${event.windowSeconds} s)`,
            ),
          ];
    case 'socketError':
      return [
        `${prefix} ${palette.bad('socket error'.padEnd(13))} ${event.code ? `${event.code}: ` : ''}${event.reason}`,
      ];
    case 'close':
      return [
        line(
          'close',
          `after ${event.durationMs} ms · ${event.bytesRead} bytes in, ${event.bytesWritten} out` +
            (event.secure
              ? ` (data ${event.plaintextBytesRead} in, ${event.plaintextBytesWritten} out)`
              : ' (never secure)'),
        ),
      ];
    case 'drop':
      return [
        `${prefix} ${palette.warning('dropped'.padEnd(13))} ${address(event.remoteAddress, event.remotePort)}: --max-connections reached`,
      ];
    case 'workerExit':
      return [
        `${prefix} ${palette.bad('worker exit'.padEnd(13))} ${event.signal ? `signal ${event.signal}` : `code ${event.code ?? '?'}`}`,
      ];
  }
}

/** The summary as a few lines of text. */
export function formatSummaryLines(
  summary: ServerSummary,
  palette: Palette = PLAIN_PALETTE,
): string[] {
  const tally = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, count]) => `${name} ×${count}`)
      .join(', ') || 'none';
  const lines = [
    palette.heading(
      `Served ${summary.connections} connection${summary.connections === 1 ? '' : 's'} in ${formatDuration(summary.uptimeMs)}: ` +
        `${summary.secureConnections} secure, ${summary.resumed} resumed, ${summary.clientErrors} failed`,
    ),
    `  protocols    ${tally(summary.protocols)}`,
    `  ciphers      ${tally(summary.ciphers)}`,
  ];
  if (Object.keys(summary.alpnProtocols).length > 0)
    lines.push(`  alpn         ${tally(summary.alpnProtocols)}`);
  if (Object.keys(summary.servernames).length > 0)
    lines.push(`  sni          ${tally(summary.servernames)}`);
  const { authorized, unauthorized } = summary.clientCertificates;
  if (authorized + unauthorized > 0) {
    lines.push(`  client certs ${authorized} authorized, ${unauthorized} not`);
  }
  if (summary.clientErrors > 0)
    lines.push(`  failures     ${palette.bad(tally(summary.clientErrorReasons))}`);
  if (summary.renegotiations + summary.renegotiationLimitHits > 0) {
    lines.push(
      `  renegotiated ${summary.renegotiations} time${summary.renegotiations === 1 ? '' : 's'}, limit hit ${summary.renegotiationLimitHits}`,
    );
  }
  if (summary.dropped > 0) lines.push(`  dropped      ${summary.dropped} (--max-connections)`);
  lines.push(
    `  bytes        ${summary.bytesRead} in, ${summary.bytesWritten} out (data ${summary.plaintextBytesRead} in, ${summary.plaintextBytesWritten} out)`,
  );
  return lines;
}

/** A peer command that talks to the server as it is configured. */
function tryCommand(event: Extract<ServerEvent, { type: 'listening' }>): string {
  const host = event.host === '0.0.0.0' || event.host === '::' ? '127.0.0.1' : event.host;
  const address = host.includes(':') ? `[${host}]:${event.port}` : `${host}:${event.port}`;
  if (event.mode === 'http' && !event.starttls) {
    return `curl --insecure --resolve localhost:${event.port}:${host} https://localhost:${event.port}/json`;
  }
  const starttls = event.starttls ? ` -starttls ${event.starttls}` : '';
  return `openssl s_client -connect ${address} -servername localhost${starttls}`;
}

function connectionLabel(worker: number | null, connection: number): string {
  return `${worker === null ? '' : `w${worker}`}#${connection}`;
}

function workerLabel(worker: number | null): string {
  return worker === null ? '' : `w${worker}`;
}

function address(host: string | null, port: number | null): string {
  if (host === null) return 'unknown address';
  return host.includes(':') ? `[${host}]:${port ?? '?'}` : `${host}:${port ?? '?'}`;
}

/** `14:03:07.512`, local time. */
function clockTime(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
