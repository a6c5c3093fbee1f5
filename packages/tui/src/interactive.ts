import type { Command } from 'commander';
import type { GlobalOptions } from './program/globals.js';

export interface InteractiveOptions {
  globals: GlobalOptions;
  /** The parsed program, for help text and the command table's flags. */
  program: Command;
}

/**
 * Entry point of the full-screen UI, reached with no subcommand on a TTY. This is the one function
 * the Ink UI replaces; it is imported lazily so ink/react never load for subcommands. Until the UI
 * lands it shows the help, which is what a user with no subcommand needs from a line-mode CLI.
 */
export async function startInteractive(options: InteractiveOptions): Promise<void> {
  options.program.outputHelp();
}
