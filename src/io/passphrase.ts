import { errorCode, InputError, isTlskitError, messageOf, UsageError } from '../errors.js';
import { readInputFile } from './read-input.js';

/** An openssl-style passphrase source: `pass:`, `env:`, `file:`, `fd:` or `stdin`. */
export type PassphraseSpec =
  | { kind: 'pass'; value: string }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string }
  | { kind: 'fd'; fd: number }
  | { kind: 'stdin' };

/** Where passphrases come from; injected so the library never touches process state. */
export interface PassphraseSources {
  env: Record<string, string | undefined>;
  /** The whole of standard input (read once). */
  readStdin(): Promise<string>;
  /** The contents of an open file descriptor. */
  readFd(fd: number): Promise<string>;
}

/** openssl refuses shorter passphrases for encryption; so does tlskit. */
export const MIN_NEW_PASSPHRASE_LENGTH = 4;

/**
 * Parses an openssl-style passphrase source. Error messages never repeat the spec: a mistyped
 * one (`Pass:secret`, a bare `secret`) is most likely the passphrase itself.
 */
export function parsePassphraseSpec(spec: string, flag = '--passin'): PassphraseSpec {
  if (spec === 'stdin') return { kind: 'stdin' };
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? '' : spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  switch (kind) {
    case 'pass':
      return { kind: 'pass', value: rest };
    case 'env':
      if (rest) return { kind: 'env', name: rest };
      throw new UsageError(`${flag}: env: needs the name of an environment variable`, {
        hint: 'e.g. env:TLSKIT_PASS',
      });
    case 'file':
      if (rest) return { kind: 'file', path: rest };
      throw new UsageError(`${flag}: file: needs a path`, { hint: 'e.g. file:secret.txt' });
    case 'fd':
      if (/^\d+$/.test(rest)) return { kind: 'fd', fd: Number(rest) };
      throw new UsageError(`${flag}: fd: needs a file descriptor number`, { hint: 'e.g. fd:3' });
  }
  throw new UsageError(`${flag}: the value is not a passphrase source`, {
    hint: 'use pass:TEXT, env:VAR, file:PATH, fd:N or stdin',
  });
}

/** The passphrase a spec names: for file, fd and stdin, the first line (as openssl reads it). */
export async function resolvePassphrase(
  spec: PassphraseSpec,
  sources: PassphraseSources,
): Promise<string> {
  switch (spec.kind) {
    case 'pass':
      return spec.value;
    case 'env': {
      const value = sources.env[spec.name];
      if (value === undefined) {
        throw new UsageError(`environment variable ${spec.name} is not set`, {
          hint: `set ${spec.name} to the passphrase, or name another source`,
        });
      }
      return value;
    }
    case 'file':
      return firstLine((await readInputFile(spec.path)).toString('utf8'));
    case 'fd':
      return firstLine(
        await readSource(() => sources.readFd(spec.fd), `file descriptor ${spec.fd}`),
      );
    case 'stdin':
      return firstLine(await readSource(sources.readStdin, 'standard input'));
  }
}

/** Rejects passphrases too short to encrypt with. */
export function checkNewPassphrase(passphrase: string): string {
  if (passphrase.length < MIN_NEW_PASSPHRASE_LENGTH) {
    throw new InputError(
      `the new passphrase is too short (at least ${MIN_NEW_PASSPHRASE_LENGTH} characters)`,
      { hint: 'choose a longer passphrase' },
    );
  }
  return passphrase;
}

/** Injected readers throw plain Node errors (EBADF for a closed descriptor): name the source. */
async function readSource(read: () => Promise<string>, what: string): Promise<string> {
  try {
    return await read();
  } catch (error) {
    if (isTlskitError(error)) throw error;
    const reason = errorCode(error) === 'EBADF' ? 'it is not open' : messageOf(error);
    throw new InputError(`cannot read a passphrase from ${what}: ${reason}`, { cause: error });
  }
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}
