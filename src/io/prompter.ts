/**
 * Asks the user for values. The library only sees this interface; the CLI passes an
 * interactive one on a TTY and one that throws a UsageError otherwise, so nothing ever hangs.
 */
export interface Prompter {
  /** A hidden entry; with `confirm`, asked twice and compared. */
  password(message: string, options?: { confirm?: boolean }): Promise<string>;
  /** A visible entry; an empty answer gives `defaultValue` (or ""). */
  input(message: string, options?: { defaultValue?: string }): Promise<string>;
}

/** Source of a secret the library may or may not need (asked only when it does). */
export type PassphraseProvider = (purpose: string) => Promise<string>;
