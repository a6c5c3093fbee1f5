import { runTransfer } from '../progress/transfer.js';
import type { CommandInvocation } from './types.js';

export async function run(invocation: CommandInvocation): Promise<void> {
  const { args, options } = invocation;
  await runTransfer(invocation, {
    source: args[0]!,
    destination: args[1]!,
    platforms: (options.platform as string[] | undefined) ?? [],
    ...(typeof options.jobs === 'number' ? { jobs: options.jobs } : {}),
  });
}
