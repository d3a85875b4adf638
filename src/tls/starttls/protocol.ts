import type { PlainDialogue } from './plain-dialogue.js';

/** Kept apart from the dialogues so that commands can list them without loading them. */
export const STARTTLS_PROTOCOLS = [
  'smtp',
  'imap',
  'pop3',
  'ftp',
  'xmpp',
  'postgres',
  'ldap',
] as const;
export type StarttlsProtocol = (typeof STARTTLS_PROTOCOLS)[number];

/** Both sides of one protocol's plain-text dialogue up to the TLS upgrade. */
export interface StarttlsDialogue {
  /** How error messages name the protocol. */
  label: string;
  /**
   * Server side: greets, answers until the client asks to upgrade, and returns the reply that
   * agrees (written after the dialogue hands the socket over; empty for nothing to write).
   */
  accept(dialogue: PlainDialogue, hostname: string): Promise<string | Uint8Array>;
  /** Client side: resolves once the server has agreed to upgrade. */
  request(dialogue: PlainDialogue, hostname: string): Promise<void>;
}

/** A server answers at most this many commands before the upgrade. */
export const MAX_COMMANDS_BEFORE_UPGRADE = 20;

export function tooManyCommands(dialogue: PlainDialogue): Error {
  return dialogue.error(
    `the client sent ${MAX_COMMANDS_BEFORE_UPGRADE} commands without asking to upgrade`,
  );
}
