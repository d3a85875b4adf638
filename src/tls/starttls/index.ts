import type { Socket } from 'node:net';
import { InputError, UsageError } from '../../errors.js';
import { ftp } from './ftp.js';
import { imap } from './imap.js';
import { ldap } from './ldap.js';
import { PlainDialogue } from './plain-dialogue.js';
import { pop3 } from './pop3.js';
import { postgres } from './postgres.js';
import { STARTTLS_PROTOCOLS, type StarttlsDialogue, type StarttlsProtocol } from './protocol.js';
import { smtp } from './smtp.js';
import { xmpp } from './xmpp.js';

export { STARTTLS_PROTOCOLS, type StarttlsProtocol } from './protocol.js';

export interface StarttlsOptions {
  /** The whole plain-text dialogue must finish within this (default 10 s). */
  timeoutMs?: number;
  /**
   * The name the dialogue announces. Server side: the server's name in its greeting (XMPP
   * answers with the client's to= instead). Client side: the SMTP EHLO name and the XMPP domain
   * (to=). Default "localhost".
   */
  hostname?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DIALOGUES: Record<StarttlsProtocol, StarttlsDialogue> = {
  smtp,
  imap,
  pop3,
  ftp,
  xmpp,
  postgres,
  ldap,
};

/**
 * Server side: greet on the plain socket and wait until the client asks to upgrade; resolves
 * when the next byte on `socket` is the ClientHello (nothing buffered/consumed beyond the upgrade
 * command). Wrap the socket at once: `new tls.TLSSocket(socket, { isServer: true, … })`.
 * On failure (time-out, QUIT, a client that never asks) it rejects with a PeerError and destroys
 * the socket.
 */
export async function acceptStarttls(
  protocol: StarttlsProtocol,
  socket: Socket,
  options: StarttlsOptions = {},
): Promise<void> {
  const { dialogue, flow, hostname } = start(protocol, socket, options);
  try {
    const agreement = await flow.accept(dialogue, hostname);
    // Stop reading before agreeing: the client answers the agreement with its ClientHello.
    dialogue.handOver();
    if (agreement.length > 0) await dialogue.send(agreement);
  } catch (error) {
    dialogue.abandon();
    throw error;
  }
}

/**
 * Client side: resolves when the server agreed to upgrade, with the socket at the point where the
 * ClientHello goes next: `tls.connect({ socket, … })`. On failure it rejects with a PeerError
 * and destroys the socket.
 */
export async function requestStarttls(
  protocol: StarttlsProtocol,
  socket: Socket,
  options: StarttlsOptions = {},
): Promise<void> {
  const { dialogue, flow, hostname } = start(protocol, socket, options);
  try {
    await flow.request(dialogue, hostname);
    dialogue.handOver();
  } catch (error) {
    dialogue.abandon();
    throw error;
  }
}

export function isStarttlsProtocol(name: string): name is StarttlsProtocol {
  return (STARTTLS_PROTOCOLS as readonly string[]).includes(name);
}

function start(protocol: StarttlsProtocol, socket: Socket, options: StarttlsOptions) {
  if (!isStarttlsProtocol(protocol)) {
    throw new UsageError(`unknown STARTTLS protocol "${String(protocol)}"`, {
      hint: `use one of ${STARTTLS_PROTOCOLS.join(', ')}`,
    });
  }
  const hostname = options.hostname ?? 'localhost';
  // The name is written into commands and XML: it must not break out of them.
  if (!/^[\w.:[\]-]+$/.test(hostname)) {
    throw new InputError(`STARTTLS host name "${hostname}" is not a host name`, {
      hint: 'use letters, digits, dots and hyphens',
    });
  }
  const flow = DIALOGUES[protocol];
  const dialogue = new PlainDialogue(socket, {
    protocol: flow.label,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  return { dialogue, flow, hostname };
}
