import type { TLSSocket } from 'node:tls';

/** What the server in Node's TLS docs says first. */
export const WELCOME = 'welcome!\n';
/** Encoded once: a busy server writes it on every connection. */
const WELCOME_BYTES = Buffer.from(WELCOME, 'utf8');

/** Node's docs' echo server: "welcome!", then every byte back until the client ends. */
export function serveEcho(socket: TLSSocket): void {
  socket.write(WELCOME_BYTES);
  socket.pipe(socket);
}
