import { hex16 } from '../wire/hex.js';

/**
 * Protocol versions on the wire (RFC 8446 §4.2.1 and its ancestors). SSLv2 is 0x0002 in its own
 * hello format; the draft TLS 1.3 versions (0x7fxx) are named so a server still on one reads well.
 */
export const ProtocolVersion = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  TLS1_0: 0x0301,
  TLS1_1: 0x0302,
  TLS1_2: 0x0303,
  TLS1_3: 0x0304,
} as const;

/** The protocols a scan looks for, oldest first. */
export const PROTOCOL_NAMES = ['SSLv2', 'SSLv3', 'TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

const VERSION_BY_NAME: Record<ProtocolName, number> = {
  SSLv2: ProtocolVersion.SSLv2,
  SSLv3: ProtocolVersion.SSLv3,
  'TLS1.0': ProtocolVersion.TLS1_0,
  'TLS1.1': ProtocolVersion.TLS1_1,
  'TLS1.2': ProtocolVersion.TLS1_2,
  'TLS1.3': ProtocolVersion.TLS1_3,
};

export function versionOf(name: ProtocolName): number {
  return VERSION_BY_NAME[name];
}

/** `TLS1.2` for 0x0303, `TLS1.3-draft28` for 0x7f1c, hex for anything else. */
export function versionName(version: number): string {
  const known = PROTOCOL_NAMES.find((name) => VERSION_BY_NAME[name] === version);
  if (known) return known;
  if (version >> 8 === 0x7f) return `TLS1.3-draft${version & 0xff}`;
  return hex16(version);
}

/** The protocol name for a version, if it is one a scan knows. */
export function protocolNameOf(version: number): ProtocolName | undefined {
  return PROTOCOL_NAMES.find((name) => VERSION_BY_NAME[name] === version);
}

/**
 * Reads a protocol name as users type it: `TLS1.2`, `tls1_2`, `TLSv1.2`, `1.2`, `SSLv3`, `ssl3`.
 * Undefined when it names no protocol.
 */
export function parseProtocolName(text: string): ProtocolName | undefined {
  const compact = text
    .trim()
    .toLowerCase()
    .replace(/[\s_v-]/g, '')
    .replace(/^tls/, '');
  const aliases: Record<string, ProtocolName> = {
    ssl2: 'SSLv2',
    ssl3: 'SSLv3',
    '1.0': 'TLS1.0',
    '1': 'TLS1.0',
    '10': 'TLS1.0',
    '1.1': 'TLS1.1',
    '11': 'TLS1.1',
    '1.2': 'TLS1.2',
    '12': 'TLS1.2',
    '1.3': 'TLS1.3',
    '13': 'TLS1.3',
  };
  return aliases[compact];
}

/** Compares protocols by age: negative when `a` is older. */
export function compareProtocols(a: ProtocolName, b: ProtocolName): number {
  return PROTOCOL_NAMES.indexOf(a) - PROTOCOL_NAMES.indexOf(b);
}
