/**
 * Enumeration by removal, the way the fastest scanners find what a server supports: offer every
 * candidate not yet found, record the one the server picks, remove it, repeat until the server
 * refuses. The cost is about (supported + 1) hellos, not one per candidate, and the picks come out
 * in the server's order of preference when the server enforces one.
 *
 * Whether it does is settled by the second hello, which offers the remaining candidates in reverse
 * order with the first pick last: a server that enforces its own order picks the first pick
 * again; a server that follows the client's order picks from the other end, which also finds a new
 * candidate, so a client-ordered server costs nothing extra.
 */

/** One hello's answer, as an enumeration sees it. */
export type Answer<T> =
  | { kind: 'picked'; item: T }
  /** The server declined everything offered (an alert, a silent close). */
  | { kind: 'refused'; reason: string }
  /** The probe failed (time-out, garbage): the enumeration stops, incomplete. */
  | { kind: 'failed'; reason: string };

export interface Enumeration<T> {
  /** In the order the server picked them. */
  found: T[];
  /** `server`: it enforces its own order (found is that order); `client`: it follows ours; null: one or none found, or not checked. */
  preference: 'server' | 'client' | null;
  /** False when a probe failed before the server refused. */
  complete: boolean;
  /** Why the enumeration is incomplete. */
  error: string | null;
}

export interface EnumerateOptions<T> {
  /** The answer to offering every candidate, when an earlier probe already has it. */
  first?: Answer<T>;
  /** Spend the reversed second hello to learn whose order counts. Default true. */
  detectPreference?: boolean;
  /** Names a candidate in error messages. */
  nameOf?: (item: T) => string;
}

export async function enumerateByRemoval<T>(
  candidates: readonly T[],
  ask: (offer: T[]) => Promise<Answer<T>>,
  options: EnumerateOptions<T> = {},
): Promise<Enumeration<T>> {
  const found: T[] = [];
  const done = (
    complete: boolean,
    error: string | null,
    preference: Enumeration<T>['preference'],
  ) => ({
    found,
    preference: found.length > 1 ? preference : null,
    complete,
    error,
  });
  if (candidates.length === 0) return done(true, null, null);
  const first = options.first ?? (await ask([...candidates]));
  if (first.kind === 'refused') return done(true, null, null);
  if (first.kind === 'failed') return done(false, first.reason, null);
  const nameOf = options.nameOf ?? String;
  const accept = (item: T, offered: readonly T[]) => acceptPick(item, offered, found, nameOf);
  const checked = accept(first.item, candidates);
  if (checked) return done(false, checked, null);

  let preference: Enumeration<T>['preference'] = null;
  if ((options.detectPreference ?? true) && candidates.length > 1) {
    const reversed = [...candidates.filter((item) => item !== found[0]).reverse(), found[0] as T];
    const answer = await ask(reversed);
    if (answer.kind !== 'picked') {
      const reason =
        answer.kind === 'refused'
          ? `refused a hello it accepted before (${answer.reason})`
          : answer.reason;
      return done(false, reason, null);
    }
    if (answer.item === found[0]) preference = 'server';
    else {
      preference = 'client';
      const invalid = accept(answer.item, reversed);
      if (invalid) return done(false, invalid, null);
    }
  }

  for (;;) {
    const remaining = candidates.filter((item) => !found.includes(item));
    if (remaining.length === 0) return done(true, null, preference);
    const answer = await ask(remaining);
    if (answer.kind === 'refused') return done(true, null, preference);
    if (answer.kind === 'failed') return done(false, answer.reason, preference);
    const invalid = accept(answer.item, remaining);
    if (invalid) return done(false, invalid, preference);
  }
}

/** Records a pick; returns an error when the server picked something it was not offered. */
function acceptPick<T>(
  item: T,
  offered: readonly T[],
  found: T[],
  nameOf: (item: T) => string,
): string | null {
  if (!offered.includes(item) || found.includes(item)) {
    return `the server picked ${nameOf(item)}, which was not offered`;
  }
  found.push(item);
  return null;
}
