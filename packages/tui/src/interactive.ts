import type { Command } from 'commander';
import type { GlobalOptions } from './program/globals.js';

export interface InteractiveOptions {
  globals: GlobalOptions;
  /** The parsed program, for help text and the command table's flags. */
  program: Command;
}

/**
 * Entry point of the full-screen UI, reached with no subcommand on a TTY. This module is imported
 * lazily by the CLI and pulls in ink and react only here, so subcommands never load them.
 */
export async function startInteractive(options: InteractiveOptions): Promise<void> {
  const { startUi } = await import('./ui/start.js');
  await startUi(options.globals);
}
