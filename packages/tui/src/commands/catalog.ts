import { writeJson, writeLine } from '../output/write.js';
import { parseRegistryArgument } from '../registry/host-argument.js';
import { pageOptions } from '../registry/page-options.js';
import type { CommandInvocation } from './types.js';

export async function run({ args, options, context, stdout }: CommandInvocation): Promise<void> {
  const registry = parseRegistryArgument(args[0]!);
  const repositories = context.client(registry).catalog({ signal: context.signal, ...pageOptions(options) });
  if (options.json === true) {
    const all: string[] = [];
    for await (const name of repositories) all.push(name);
    writeJson(stdout, { registry, repositories: all });
    return;
  }
  for await (const name of repositories) writeLine(stdout, name);
}
