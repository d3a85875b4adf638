import type { PlainDialogue } from './plain-dialogue.js';

/** A reply of SMTP (RFC 5321 §4.2) or FTP (RFC 959 §4.2): a three-digit code and its text lines. */
export interface CodedReply {
  code: number;
  lines: string[];
}

/** A multi-line reply longer than this is not a STARTTLS dialogue. */
const MAX_REPLY_LINES = 100;

/**
 * Reads one reply. SMTP marks every line but the last with "250-"; FTP brackets free text
 * between "211-" and "211 ". Both end at the first line that is the code followed by a space
 * (or the code alone).
 */
export async function readCodedReply(dialogue: PlainDialogue, side: string): Promise<CodedReply> {
  const first = await dialogue.readLine();
  const code = /^(\d{3})(?:[ -]|$)/.exec(first)?.[1];
  if (code === undefined) {
    throw dialogue.error(`the ${side} sent "${printable(first)}", not a numbered reply`);
  }
  const lines = [first.slice(4)];
  const isLast = (line: string) => line === code || line.startsWith(`${code} `);
  for (let line = first; !isLast(line);) {
    if (lines.length >= MAX_REPLY_LINES) {
      throw dialogue.error(`the ${side}'s reply ran past ${MAX_REPLY_LINES} lines`);
    }
    line = await dialogue.readLine();
    lines.push(/^\d{3}[ -]/.test(line) ? line.slice(4) : line);
  }
  return { code: Number(code), lines };
}

/** Throws a PeerError quoting the reply unless it carries the expected code. */
export function expectReplyCode(
  dialogue: PlainDialogue,
  reply: CodedReply,
  expected: number,
  what: string,
): void {
  if (reply.code !== expected) {
    throw dialogue.error(`the server ${what} ${reply.code} ${printable(reply.lines.join(' '))}`);
  }
}

/** Peer text for an error message: control characters escaped, at most 120 characters. */
export function printable(text: string): string {
  const clipped = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return Array.from(clipped, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char;
  }).join('');
}
