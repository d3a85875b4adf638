/**
 * Enumeration by removal, the way the fastest scanners find what a server supports: offer every
 * candidate not yet found, record the one the server picks, remove it, repeat until the server
 * refuses. The cost is about (supported + 1) hellos, not one per candidate, and the picks come out
 * in the server's order of preference when the server enforces one.
 *
 * Whether it does is read from the same hellos: the offers alternate between forward and reverse
 * order, so a server that follows the client's order must pick, each time, the first supported
 * candidate of that offer. One pick that is not proves the server applies its own order, at no
 * extra cost. When every pick fits the client's order (and so fits some server order as well), one
 * more hello settles it: the first two picks, offered the other way round.
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
  /**
   * `server`: it enforces its own order (found is that order); `client`: it follows ours; null:
   * one or none found, or not checked.
   */
  preference: 'server' | 'client' | null;
  /** False when a probe failed before the server refused. */
  complete: boolean;
  /** Why the enumeration is incomplete. */
  error: string | null;
}

export interface EnumerateOptions<T> {
  /** The answer to offering every candidate, when an earlier probe already has it. */
  first?: Answer<T>;
  /** Learn whose order counts (one more hello when the picks alone cannot tell). Default true. */
  detectPreference?: boolean;
  /** Names a candidate in error messages. */
  nameOf?: (item: T) => string;
}

export async function enumerateByRemoval<T>(
  candidates: readonly T[],
  ask: (offer: T[]) => Promise<Answer<T>>,
  options: EnumerateOptions<T> = {},
): Promise<Enumeration<T>> {
  const nameOf = options.nameOf ?? String;
  const found: T[] = [];
  const offers: T[][] = [];
  const result = (
    complete: boolean,
    error: string | null,
    preference: Enumeration<T>['preference'],
  ) => ({
    found,
    preference: found.length > 1 ? preference : null,
    complete,
    error,
  });
  for (let round = 0; ; round++) {
    const remaining = candidates.filter((item) => !found.includes(item));
    if (remaining.length === 0) break;
    const offer = round % 2 === 0 ? remaining : [...remaining].reverse();
    const answer = round === 0 && options.first ? options.first : await ask(offer);
    if (answer.kind === 'refused') break;
    if (answer.kind === 'failed') return result(false, answer.reason, null);
    if (!offer.includes(answer.item) || found.includes(answer.item)) {
      return result(false, `the server picked ${nameOf(answer.item)}, which was not offered`, null);
    }
    found.push(answer.item);
    offers.push(offer);
  }
  if (found.length < 2 || options.detectPreference === false) return result(true, null, null);
  if (!fitsClientOrder(offers, found)) return result(true, null, 'server');
  const [first, second] = found as [T, T];
  const check = await ask([second, first]);
  // A failed check leaves the suites complete and only the order unknown.
  if (check.kind !== 'picked') return result(true, null, null);
  if (check.item === first) return result(true, null, 'server');
  return result(true, null, check.item === second ? 'client' : null);
}

/** True when each pick was the first offered candidate the server supports. */
function fitsClientOrder<T>(offers: readonly T[][], found: readonly T[]): boolean {
  return offers.every(
    (offer, round) => offer.find((item) => found.includes(item)) === found[round],
  );
}
