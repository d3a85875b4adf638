import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import * as Flags from '@oclif/core/flags';
import { ExitCode, InternalError, isTlskitError, UsageError } from '../../src/errors.js';
import { removeStagedFiles } from '../../src/io/atomic-write.js';
import { createTerminal, type Terminal } from './terminal.js';

/**
 * Every tlskit command: `--json` (run()'s return value is the JSON output), `--debug`, one-line
 * errors with the error's exit code, and clean-up of half-staged files on Ctrl-C.
 */
export abstract class TlskitCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    debug: Flags.boolean({
      description: 'On error, show the cause chain and stack trace.',
      helpGroup: 'GLOBAL',
    }),
  };

  protected terminal!: Terminal;

  override async init(): Promise<void> {
    await super.init();
    this.terminal = createTerminal();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        removeStagedFiles();
        process.exit(ExitCode.interrupted);
      });
    }
  }

  override async catch(error: Error & { exitCode?: number }): Promise<never> {
    const failure = toTlskitFailure(error);
    if (this.jsonEnabled()) {
      this.logJson({
        error: { code: failure.code, message: failure.message, hint: failure.hint ?? null },
      });
    } else {
      const hint = failure.hint ? ` (${failure.hint})` : '';
      process.stderr.write(`${this.terminal.colour.red('tlskit:')} ${failure.message}${hint}\n`);
    }
    if (this.debugEnabled()) process.stderr.write(`${describeCauseChain(error)}\n`);
    this.exit(failure.exitCode);
  }

  private debugEnabled(): boolean {
    return this.argv.includes('--debug') || Boolean(process.env.DEBUG);
  }
}

interface Failure {
  code: string;
  message: string;
  hint: string | undefined;
  exitCode: number;
}

/** Maps anything thrown to a one-line failure: ours as they are, oclif's parse errors as usage. */
function toTlskitFailure(error: Error & { exitCode?: number }): Failure {
  if (isTlskitError(error)) return error;
  if (error instanceof Errors.CLIError) {
    const usage = new UsageError(oneLine(error.message), { hint: 'see --help' });
    return { ...pick(usage), exitCode: error.oclif?.exit ?? ExitCode.usage };
  }
  const internal = new InternalError(`internal error: ${firstLine(error.message)}`, {
    hint: 'run with --debug for details, and please report it',
  });
  return pick(internal);
}

function pick(error: Failure): Failure {
  return { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode };
}

/** oclif's parse errors span lines ("Missing 1 required arg:\nFILE  the file…\nSee more help…"). */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('See more help'))
    .join(' ');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function describeCauseChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current; current = (current as Error).cause) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    if (!(current instanceof Error)) break;
  }
  return parts.join('\nCaused by: ');
}
