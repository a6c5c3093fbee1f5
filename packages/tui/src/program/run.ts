import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { commands } from '../commands/index.js';
import type { CommandContext } from '../context.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { buildProgram } from './build.js';
import type { GlobalOptions } from './globals.js';
import { reportError } from './report-error.js';
import { abortOnInterrupt } from './signals.js';

/** Runs the CLI for `argv` (process.argv shape) and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const stopListening = abortOnInterrupt(controller);
  const program = buildProgram(commands, {
    stdout: process.stdout,
    stderr: process.stderr,
    // a getter: creating process.stdin costs ~0.5 ms, and only login and the UI read it
    get stdin() {
      return process.stdin;
    },
    signal: controller.signal,
    version: readVersion(),
    createContext: loadContext,
    onNoCommand: startInteractiveOrHelp,
  });
  try {
    await program.parseAsync([...argv]);
    return ExitCode.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version arrive here as "errors" with exit code 0; they have already printed.
      if (err.exitCode === 0) return ExitCode.OK;
      reportError(err.message.replace(/^error: /, ''), false);
      return ExitCode.USAGE;
    }
    const debug = program.opts<{ debug?: boolean }>().debug === true || argv.includes('--debug');
    if (controller.signal.aborted) {
      reportError('interrupted', debug);
      return ExitCode.INTERRUPTED;
    }
    reportError(err, debug);
    return exitCodeFor(err);
  } finally {
    stopListening();
  }
}

async function loadContext(globals: GlobalOptions, signal: AbortSignal): Promise<CommandContext> {
  const { prepareContext } = await import('../context.js');
  return prepareContext(globals, signal);
}

async function startInteractiveOrHelp(globals: GlobalOptions, program: Command): Promise<void> {
  if (process.stdin.isTTY && process.stdout.isTTY) {
    const { startInteractive } = await import('../interactive.js');
    await startInteractive({ globals, program });
    return;
  }
  program.outputHelp();
}

function readVersion(): string {
  // dist/program/run.js -> package.json; read, not imported, so rootDir stays src/.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
