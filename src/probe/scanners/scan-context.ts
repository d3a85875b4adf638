import type { Connector, Endpoint } from '../transport/connector.js';
import { exchangeHello, type ExchangeOutcome } from '../transport/exchange.js';
import type { ReadUntil } from '../transport/flight-reader.js';
import type { HelloEntropy } from './probe-hello.js';

/** Everything a scanner needs to talk to one target, and nothing else. */
export interface ScanContext {
  readonly endpoint: Endpoint;
  /** The name sent as SNI (null for none). */
  readonly serverName: string | null;
  readonly timeoutMs: number;
  readonly entropy: HelloEntropy;
  readonly connector: Connector;
  /** Sends one ClientHello on a new connection, within the target's connection limit. */
  send(hello: Uint8Array, until: ReadUntil): Promise<ExchangeOutcome>;
  /** Runs other connection work (a node:tls handshake) within the target's connection limit. */
  withConnection<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Runs a sequence of dependent probes (an enumeration) holding one connection slot throughout:
   * `leased` sends without queueing again, so a long chain is never held up between its steps.
   */
  sequence<T>(work: (leased: ScanContext) => Promise<T>): Promise<T>;
  /** ClientHellos sent so far, node:tls handshakes included. */
  readonly clientHellos: number;
}

export interface ScanContextInit {
  endpoint: Endpoint;
  serverName: string | null;
  timeoutMs: number;
  entropy: HelloEntropy;
  connector: Connector;
  /** Connections open at once to this target. */
  connections: number;
  /** Stop reading an answer after this many bytes. */
  maxAnswerBytes: number;
}

/**
 * The per-target context. Hellos go out with a TCP half-close (see ExchangeOptions.halfClose)
 * until the target shows it cannot take one: when a half-closed hello meets a silent close, it is
 * sent again normally; an answer then means the server needs the connection open, so half-close
 * is off for the rest of the scan; a second silent close means silence is the server's answer, so
 * half-close is kept and no more retries are spent.
 */
export function createScanContext(init: ScanContextInit): ScanContext {
  const slots = createSemaphore(init.connections);
  const state = { halfClose: 'probing' as HalfCloseState, clientHellos: 0 };
  return contextWith(init, state, slots, false);
}

type HalfCloseState = 'probing' | 'trusted' | 'off';

/** A context whose connections each take a slot, or, leased, run in the slot already held. */
function contextWith(
  init: ScanContextInit,
  state: { halfClose: HalfCloseState; clientHellos: number },
  slots: Semaphore,
  leased: boolean,
): ScanContext {
  const acquire = <T>(work: () => Promise<T>): Promise<T> => (leased ? work() : slots.run(work));
  const exchange = (hello: Uint8Array, until: ReadUntil, halfClose: boolean) => {
    state.clientHellos++;
    return acquire(() =>
      exchangeHello(init.connector, init.endpoint, hello, {
        until,
        timeoutMs: init.timeoutMs,
        maxBytes: init.maxAnswerBytes,
        halfClose,
      }),
    );
  };
  const context: ScanContext = {
    endpoint: init.endpoint,
    serverName: init.serverName,
    timeoutMs: init.timeoutMs,
    entropy: init.entropy,
    connector: init.connector,
    get clientHellos() {
      return state.clientHellos;
    },
    async send(hello, until) {
      const outcome = await exchange(hello, until, state.halfClose !== 'off');
      if (state.halfClose !== 'probing' || !isSilent(outcome)) return outcome;
      const retried = await exchange(hello, until, false);
      if (isSilent(retried)) {
        if (state.halfClose === 'probing') state.halfClose = 'trusted';
      } else if (retried.kind !== 'timeout' && retried.kind !== 'connect-failed') {
        state.halfClose = 'off';
      }
      return retried;
    },
    withConnection(work) {
      state.clientHellos++;
      return acquire(work);
    },
    sequence(work) {
      if (leased) return work(context);
      return slots.run(() => work(contextWith(init, state, slots, true)));
    },
  };
  return context;
}

/** The connection ended before a single byte came back. */
function isSilent(outcome: ExchangeOutcome): boolean {
  return (outcome.kind === 'closed' || outcome.kind === 'reset') && outcome.receivedBytes === 0;
}

interface Semaphore {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createSemaphore(limit: number): Semaphore {
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(work) {
      // A finished job hands its slot straight to the next waiter, so the limit always holds.
      if (active < limit) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}
