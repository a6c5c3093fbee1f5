import { parseDockerArchiveReference, parseReference } from '@nextdeploy/core';
import { runTransfer } from '../progress/transfer.js';
import type { CommandInvocation } from './types.js';

export async function run(invocation: CommandInvocation): Promise<void> {
  const { args, options } = invocation;
  await runTransfer(invocation, {
    source: { transport: 'docker-archive', ...parseDockerArchiveReference(args[0]!) },
    destination: { transport: 'docker', reference: parseReference(args[1]!) },
    platforms: [],
    ...(typeof options.jobs === 'number' ? { jobs: options.jobs } : {}),
  });
}
