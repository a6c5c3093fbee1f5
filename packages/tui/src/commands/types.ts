import type { CommandContext } from '../context.js';

export interface ArgumentSpec {
  /** Shown in usage, e.g. `REF`. */
  name: string;
  description: string;
  /** Default true. */
  required?: boolean;
}

export interface OptionSpec {
  /** Commander flag syntax: `--raw`, `-u, --username <user>`. */
  flags: string;
  description: string;
  /** Converts and validates the raw string; throw commander's InvalidArgumentError to reject it. */
  parse?: (value: string, previous: unknown) => unknown;
  default?: unknown;
}

/** What a command implementation receives once its module has been loaded. */
export interface CommandInvocation {
  /** Positional arguments in the order the spec declares them. */
  args: string[];
  /** This command's own options, keyed by commander's camel-cased name (`passwordStdin`). */
  options: Record<string, unknown>;
  /** Keychain, transport options and the Ctrl-C signal, shared by every command. */
  context: CommandContext;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export interface CommandModule {
  run(invocation: CommandInvocation): Promise<void>;
}

/**
 * One row of the command table. The row is all that start-up and `--help` read; `load` pulls in the
 * implementation (and @nextdeploy/core) only when that command actually runs.
 */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Longer text for `nextdeploy-tui COMMAND --help`; defaults to the summary. */
  description?: string;
  arguments: ArgumentSpec[];
  options?: OptionSpec[];
  /** Adds `--json`: print one JSON document instead of human-readable text. */
  json?: boolean;
  /** Lines shown under "Examples:" in the command's help. */
  examples?: string[];
  load(): Promise<CommandModule>;
}
