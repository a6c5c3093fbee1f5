import { Command, Option } from 'commander';
import type { CommandInvocation, CommandSpec } from '../commands/types.js';
import type { CommandContext } from '../context.js';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes.js';
import { addGlobalOptions, readGlobals, type GlobalOptions } from './globals.js';
import { PROGRAM_NAME } from './report-error.js';

export interface ProgramIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  signal: AbortSignal;
  version: string;
  /** Builds the shared context; injected so building the program never imports @nextdeploy/core. */
  createContext(globals: GlobalOptions, signal: AbortSignal): Promise<CommandContext>;
  /** Runs when no subcommand is given. */
  onNoCommand(globals: GlobalOptions, program: Command): Promise<void>;
}

/** Builds the whole commander program from the command table; every flag and help line comes from it. */
export function buildProgram(table: readonly CommandSpec[], io: ProgramIO): Command {
  const program = new Command(PROGRAM_NAME)
    .description('Log in to container registries, browse repositories, tags and manifests, and move images.')
    .version(io.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's own error text is reprinted by the top-level handler in the one-line format.
      outputError: () => {},
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`);
  addGlobalOptions(program);

  for (const spec of table) program.addCommand(buildCommand(spec, program, io));

  // Set after the subcommands were added so they keep refusing stray arguments; here the stray
  // argument is an unknown command name, which the action reports as such.
  program.allowExcessArguments(true).action(async () => {
    const [unknown] = program.args;
    if (unknown !== undefined) {
      program.error(`unknown command '${unknown}'; run '${PROGRAM_NAME} --help' to list the commands`, {
        code: 'commander.unknownCommand',
        exitCode: ExitCode.USAGE,
      });
    }
    await io.onNoCommand(readGlobals(program), program);
  });
  return program;
}

function buildCommand(spec: CommandSpec, program: Command, io: ProgramIO): Command {
  // addCommand() does not copy output and exit settings the way command() does; errors must reach our handler.
  const command = new Command(spec.name)
    .copyInheritedSettings(program)
    .summary(spec.summary).description(spec.description ?? capitalise(spec.summary));
  for (const arg of spec.arguments) {
    command.argument(arg.required === false ? `[${arg.name}]` : `<${arg.name}>`, arg.description);
  }
  for (const opt of spec.options ?? []) {
    const option = new Option(opt.flags, opt.description);
    if (opt.parse) option.argParser(opt.parse);
    if (opt.default !== undefined) option.default(opt.default);
    command.addOption(option);
  }
  if (spec.json) command.option('--json', 'print one JSON document instead of text');
  if (spec.examples?.length) {
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
  command.action(async (...actionArgs: unknown[]) => {
    const self = actionArgs[actionArgs.length - 1] as Command;
    const globals = readGlobals(self);
    const [module, context] = await Promise.all([spec.load(), io.createContext(globals, io.signal)]);
    const invocation: CommandInvocation = {
      // Optional arguments can only trail required ones, so dropping absent ones keeps positions stable.
      args: self.processedArgs.filter((a): a is string => typeof a === 'string'),
      options: self.opts(),
      context,
      stdout: io.stdout,
      stderr: io.stderr,
      get stdin() {
        return io.stdin;
      },
    };
    await module.run(invocation);
  });
  return command;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
