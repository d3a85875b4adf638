import { Chalk, type ChalkInstance } from 'chalk';
import type { Palette } from '../../src/render/text-tree.js';

/** What the CLI knows about where it is running. */
export interface Terminal {
  /** Colour functions: plain identity when NO_COLOR is set or stdout is not a terminal. */
  colour: ChalkInstance;
  /** Prompts are possible only when both stdin and stderr are terminals. */
  interactive: boolean;
  stdoutIsTty: boolean;
  /** Progress indicators go to stderr, only on a terminal. */
  stderrIsTty: boolean;
}

export function createTerminal(): Terminal {
  const stdoutIsTty = Boolean(process.stdout.isTTY);
  const stderrIsTty = Boolean(process.stderr.isTTY);
  // https://no-color.org: any non-empty NO_COLOR disables colour.
  const noColor = Boolean(process.env.NO_COLOR);
  const forced = Boolean(process.env.FORCE_COLOR) && process.env.FORCE_COLOR !== '0';
  const colourOn = !noColor && (stdoutIsTty || forced);
  return {
    colour: new Chalk({ level: colourOn ? 1 : 0 }),
    interactive: Boolean(process.stdin.isTTY) && stderrIsTty,
    stdoutIsTty,
    stderrIsTty,
  };
}

/** The terminal's colours for tree output (all identity when colour is off). */
export function paletteOf({ colour }: Terminal): Palette {
  return {
    heading: colour.bold,
    label: (text) => text,
    branch: colour.dim,
    good: colour.green,
    warning: colour.yellow,
    bad: colour.red.bold,
    muted: colour.dim,
  };
}
