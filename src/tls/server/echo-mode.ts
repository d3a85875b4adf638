import type { TLSSocket } from 'node:tls';

/** What the server in Node's TLS docs says first. */
export const WELCOME = 'welcome!\n';

/** Node's docs' echo server: "welcome!", then every byte back until the client ends. */
export function serveEcho(socket: TLSSocket): void {
  socket.write(WELCOME);
  socket.pipe(socket);
}
