import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { errorCode, InputError, UsageError } from '../errors.js';
import type { StarttlsProtocol } from '../tls/starttls/index.js';

/** A scan target as the user named it, parsed once. */
export interface Target {
  /** As given (`example.com:443`), for reports. */
  label: string;
  host: string;
  port: number;
}

/** The usual port of each STARTTLS protocol, used when a target names none. */
const STARTTLS_PORTS: Record<StarttlsProtocol, number> = {
  smtp: 25,
  imap: 143,
  pop3: 110,
  ftp: 21,
  xmpp: 5222,
  postgres: 5432,
  ldap: 389,
};

/**
 * Parses `host:port`, `[v6addr]:port`, a bare host or a bare IPv6 address. The port defaults to
 * 443, or to the STARTTLS protocol's own port.
 */
export function parseTarget(text: string, starttls: StarttlsProtocol | null = null): Target {
  const label = text.trim();
  const defaultPort = starttls ? STARTTLS_PORTS[starttls] : 443;
  let host = label;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(label);
  if (bracketed) {
    host = bracketed[1] as string;
    portText = bracketed[2];
  } else if (isIP(label) !== 6) {
    const colon = label.lastIndexOf(':');
    if (colon >= 0) {
      host = label.slice(0, colon);
      portText = label.slice(colon + 1);
    }
  }
  if (!host || /[\s/]/.test(host)) throw badTarget(label, 'no host name');
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!/^\d+$/.test(portText ?? '1') || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw badTarget(label, `"${portText}" is not a port`);
  }
  return { label: portText === undefined ? `${label}:${port}` : label, host, port };
}

/** Reads a targets file: one target a line; blank lines and `#` comments are skipped. */
export async function readTargetsFile(
  path: string,
  starttls: StarttlsProtocol | null = null,
): Promise<Target[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = errorCode(error) === 'ENOENT';
    throw new InputError(`${path}: ${missing ? 'no such file' : 'cannot be read'}`, {
      cause: error,
    });
  }
  const targets: Target[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.replace(/#.*/, '').trim();
    if (!content) return;
    // Never echo binary junk into an error message.
    if (/[^\x20-\x7e]/.test(content)) {
      throw new InputError(`${path}:${index + 1}: not a HOST:PORT line`, {
        hint: 'the file must be text, one target a line',
      });
    }
    try {
      targets.push(parseTarget(content, starttls));
    } catch (error) {
      throw new InputError(`${path}:${index + 1}: ${(error as Error).message}`, { cause: error });
    }
  });
  if (targets.length === 0) throw new InputError(`${path}: no targets in the file`);
  return targets;
}

function badTarget(label: string, problem: string): UsageError {
  return new UsageError(`target "${label}": ${problem}`, {
    hint: 'use HOST:PORT, e.g. example.com:443',
  });
}
