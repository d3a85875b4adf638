import { action } from '@oclif/core/ux';
import type { Terminal } from './terminal.js';

/**
 * Runs slow work with a spinner on stderr when stderr is a terminal (oclif's own ux.action),
 * and silently otherwise, so logs and pipes never fill with progress noise.
 */
export async function withProgress<T>(
  terminal: Terminal,
  message: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!terminal.stderrIsTty) return work();
  action.start(message);
  try {
    const result = await work();
    action.stop('done');
    return result;
  } catch (error) {
    action.stop('failed');
    throw error;
  }
}
