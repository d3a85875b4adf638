/**
 * One error hierarchy for the whole library. `src/` throws only these for expected failures;
 * the CLI prints `message` (plus `hint`) on one line and exits with `exitCode`.
 */

export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  badInput: 3,
  refused: 4,
  network: 5,
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface TlskitErrorOptions {
  /** What the user can do about it ("use --force to overwrite"). */
  hint?: string;
  /** The low-level error, kept for --debug. */
  cause?: unknown;
}

export abstract class TlskitError extends Error {
  /** Stable machine-readable code, used in --json error output. */
  abstract readonly code: string;
  abstract readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: TlskitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** A verdict: the thing checked (a certificate, a server) did not pass. */
export class CheckFailedError extends TlskitError {
  readonly code = 'CHECK_FAILED';
  readonly exitCode = ExitCode.checkFailed;
}

/** The command was called wrongly: a missing or conflicting flag, a prompt needed without a TTY. */
export class UsageError extends TlskitError {
  readonly code = 'USAGE';
  readonly exitCode = ExitCode.usage;
}

/** An input file or value is unreadable, malformed or inconsistent. */
export class InputError extends TlskitError {
  readonly code: string = 'BAD_INPUT';
  readonly exitCode = ExitCode.badInput;
}

/** A passphrase did not open an encrypted key or container. */
export class WrongPassphraseError extends InputError {
  override readonly code = 'WRONG_PASSPHRASE';
}

/** tlskit will not do this without an explicit extra flag (overwrite, weak crypto, key to a TTY). */
export class RefusedError extends TlskitError {
  readonly code: string = 'REFUSED';
  readonly exitCode = ExitCode.refused;
}

export class FileExistsError extends RefusedError {
  override readonly code = 'FILE_EXISTS';
  constructor(
    readonly path: string,
    options: TlskitErrorOptions = {},
  ) {
    super(`${path} already exists`, { hint: 'use --force to overwrite', ...options });
  }
}

/** The network or the peer failed: refused connection, handshake failure, time-out. */
export class PeerError extends TlskitError {
  readonly code = 'PEER';
  readonly exitCode = ExitCode.network;
}

/** A bug in tlskit: something that should not happen did. */
export class InternalError extends TlskitError {
  readonly code = 'INTERNAL';
  readonly exitCode = ExitCode.internal;
}

export class InterruptedError extends TlskitError {
  readonly code = 'INTERRUPTED';
  readonly exitCode = ExitCode.interrupted;
}

export function isTlskitError(error: unknown): error is TlskitError {
  return error instanceof TlskitError;
}

/** The message of any thrown value, for wrapping low-level errors. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` property of a Node or OpenSSL error, if any. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}
