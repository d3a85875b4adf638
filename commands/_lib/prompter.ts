import { InterruptedError, UsageError } from '../../src/errors.js';
import type { Prompter } from '../../src/io/prompter.js';
import type { Terminal } from './terminal.js';

/**
 * An inquirer prompter on a TTY; elsewhere, one that fails at once with the flag to use
 * instead, so a script never hangs waiting for an answer.
 */
export function createPrompter(terminal: Terminal, hint: string): Prompter {
  if (!terminal.interactive) {
    const refuse = async (message: string): Promise<never> => {
      throw new UsageError(`${message} is needed, but standard input is not a terminal`, { hint });
    };
    return { password: refuse, input: refuse };
  }
  return {
    async password(message, options = {}) {
      // inquirer loads lazily: it costs start-up time that most runs never need.
      const { password } = await import('@inquirer/prompts');
      const answer = await asked(password({ message: `${capitalise(message)}:`, mask: true }));
      if (options.confirm) {
        const again = await asked(password({ message: `Verifying - ${message}:`, mask: true }));
        if (again !== answer) throw new UsageError('the passphrases do not match');
      }
      return answer;
    },
    async input(message, options = {}) {
      const { input } = await import('@inquirer/prompts');
      const answer = await asked(
        input({ message: `${capitalise(message)}:`, default: options.defaultValue }),
      );
      return answer.trim();
    },
  };
}

/** Ctrl+C or Ctrl+D at a prompt is the user stopping the command, not a bug to report. */
async function asked<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new InterruptedError('stopped at the prompt, before an answer', { cause: error });
    }
    throw error;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
