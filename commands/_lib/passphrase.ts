import { readFile } from 'node:fs';
import { promisify } from 'node:util';
import { text } from 'node:stream/consumers';
import {
  checkNewPassphrase,
  parsePassphraseSpec,
  resolvePassphrase,
  type PassphraseSources,
} from '../../src/io/passphrase.js';
import type { PassphraseProvider } from '../../src/io/prompter.js';
import { createPrompter } from './prompter.js';
import type { Terminal } from './terminal.js';

const processSources: PassphraseSources = {
  env: process.env,
  readStdin: () => text(process.stdin),
  // The numeric-fd form of readFile reads pipes and sockets too (re-opening /dev/fd/N does not).
  readFd: (fd) => promisify(readFile)(fd, 'utf8'),
};

/**
 * A provider for an existing secret (`--passin`): the spec if given, else a prompt on a TTY,
 * else a usage error naming the flag. Called only if the input turns out to be encrypted.
 */
export function passinProvider(
  spec: string | undefined,
  terminal: Terminal,
  flag = '--passin',
): PassphraseProvider {
  const parsed = spec === undefined ? undefined : parsePassphraseSpec(spec, flag);
  const prompter = createPrompter(
    terminal,
    `give it with ${flag} pass:TEXT, env:VAR, file:PATH, fd:N or stdin`,
  );
  return async (purpose) =>
    parsed ? resolvePassphrase(parsed, processSources) : prompter.password(purpose);
}

/** A new secret (`--passout`): from the spec, or asked twice on a TTY. */
export async function resolveNewPassphrase(
  spec: string | undefined,
  terminal: Terminal,
  purpose: string,
  flag = '--passout',
): Promise<string> {
  if (spec !== undefined) {
    return checkNewPassphrase(
      await resolvePassphrase(parsePassphraseSpec(spec, flag), processSources),
    );
  }
  const prompter = createPrompter(
    terminal,
    `give it with ${flag} pass:TEXT, env:VAR, file:PATH, fd:N or stdin`,
  );
  return checkNewPassphrase(await prompter.password(purpose, { confirm: true }));
}
