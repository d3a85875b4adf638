import type { Server } from 'node:tls';
import type { NewServerEvent } from './events.js';

/**
 * Where sessions live by ID. Node's servers keep no session cache of their own (OpenSSL's
 * internal cache is switched off), so without one, TLS 1.2 clients can resume only by ticket.
 */
export interface SessionStore {
  save(id: Buffer, session: Buffer): Promise<void>;
  /** The session, or undefined when unknown or expired. */
  load(id: Buffer): Promise<Buffer | undefined>;
}

/** OpenSSL's default session lifetime (SSL_CTX_set_timeout), when none is configured. */
export const DEFAULT_SESSION_TIMEOUT_SECONDS = 300;
/** Enough for any test; the oldest go first beyond it. */
const MAX_SESSIONS = 10_000;

/** Sessions in a Map, oldest first, each kept for `timeoutSeconds`. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, { session: Buffer; expires: number }>();

  constructor(
    private readonly timeoutSeconds = DEFAULT_SESSION_TIMEOUT_SECONDS,
    private readonly clock: () => number = Date.now,
  ) {}

  async save(id: Buffer, session: Buffer): Promise<void> {
    const key = id.toString('hex');
    this.sessions.delete(key);
    this.sessions.set(key, { session, expires: this.clock() + this.timeoutSeconds * 1000 });
    if (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
  }

  async load(id: Buffer): Promise<Buffer | undefined> {
    const key = id.toString('hex');
    const entry = this.sessions.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.clock()) {
      this.sessions.delete(key);
      return undefined;
    }
    return entry.session;
  }

  get size(): number {
    return this.sessions.size;
  }
}

/**
 * Answers the server's newSession and resumeSession events from `store`, reporting each as a
 * `session` event. A store that fails only costs the resumption: the handshake goes on in full.
 */
export function attachSessionStore(
  server: Server,
  store: SessionStore,
  report: (event: NewServerEvent) => void,
): void {
  server.on('newSession', (id: Buffer, session: Buffer, done: () => void) => {
    store.save(id, session).then(
      () => {
        report({ type: 'session', action: 'stored', sessionId: id.toString('hex') });
        done();
      },
      () => done(),
    );
  });
  server.on(
    'resumeSession',
    (id: Buffer, done: (error: Error | null, session: Buffer | null) => void) => {
      store.load(id).then(
        (session) => {
          report({
            type: 'session',
            action: session ? 'found' : 'missed',
            sessionId: id.toString('hex'),
          });
          done(null, session ?? null);
        },
        () => done(null, null),
      );
    },
  );
}
