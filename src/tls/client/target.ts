import { isIP } from 'node:net';
import { UsageError } from '../../errors.js';

/** Where to connect: a TCP host and port. */
export interface Target {
  host: string;
  port: number;
}

/**
 * Parses `HOST:PORT`, `[IPv6]:PORT` (the brackets are required: "::1:443" is ambiguous) and
 * `IPv4:PORT`.
 */
export function parseTarget(text: string): Target {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  const plain = /^([^:[\]]+):(\d+)$/.exec(text);
  const match = bracketed ?? plain;
  if (!match) {
    throw new UsageError(`"${text}" is not HOST:PORT`, {
      hint:
        isIP(text) === 6 || text.split(':').length > 2
          ? 'put an IPv6 address in brackets: [::1]:443'
          : 'give a port, e.g. example.com:443',
    });
  }
  const [, host = '', portText = ''] = match;
  if (bracketed && isIP(host) !== 6) {
    throw new UsageError(`"${host}" in brackets is not an IPv6 address`, {
      hint: 'brackets are for IPv6 addresses: [::1]:443',
    });
  }
  return { host, port: parsePort(portText, text) };
}

export function parsePort(text: string, context = text): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 0xffff) {
    throw new UsageError(`"${context}": the port must be a number from 1 to 65535`);
  }
  return port;
}

export function isIpAddress(host: string): boolean {
  return isIP(host) !== 0;
}

/** `host:port`, with an IPv6 address in brackets. */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
