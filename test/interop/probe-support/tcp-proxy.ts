/**
 * A TCP proxy on 127.0.0.1 for measuring scanners: it counts the ClientHellos that pass through
 * (connections whose first byte starts a TLS handshake record or an SSLv2 hello), and can delay
 * every chunk — and every half-close — by a fixed time each way, as a real network's round trips
 * would. Order is kept: one timer per chunk, in arrival order.
 */
import net from 'node:net';

export interface CountingProxy {
  port: number;
  /** ClientHellos seen since the last reset. */
  clientHellos(): number;
  /** All connections since the last reset, hello or not. */
  connections(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(
  upstreamPort: number,
  delayMs = 0,
): Promise<CountingProxy> {
  let hellos = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    connections++;
    const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    client.once('data', (chunk: Buffer) => {
      const first = chunk[0] ?? 0;
      if (first === 0x16 || (first & 0x80) !== 0) hellos++;
    });
    relay(client, upstream, delayMs);
    relay(upstream, client, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    clientHellos: () => hellos,
    connections: () => connections,
    reset() {
      hellos = 0;
      connections = 0;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Copies `from` to `to` after `delayMs`: data, end-of-file, and a reset as a reset. A plain close
 * becomes an end-of-file, never a destroy, which could drop data still on its way.
 */
function relay(from: net.Socket, to: net.Socket, delayMs: number): void {
  const later = (action: () => void) =>
    delayMs > 0 ? setTimeout(action, delayMs) : setImmediate(action);
  const open = () => !to.destroyed && to.writable;
  from.on('data', (chunk: Buffer) => later(() => open() && to.write(chunk)));
  from.on('end', () => later(() => open() && to.end()));
  from.on('error', () => later(() => to.resetAndDestroy()));
  from.on('close', () => later(() => open() && to.end()));
}
