import { DockerConfigFile } from '@nextdeploy/core';
import { writeLine } from '../output/write.js';
import { parseRegistryArgument } from '../registry/host-argument.js';
import type { CommandInvocation } from './types.js';

export async function run({ args, stdout }: CommandInvocation): Promise<void> {
  const registry = parseRegistryArgument(args[0]!);
  const file = await DockerConfigFile.load();
  if (!file.removeAuth(registry)) {
    writeLine(stdout, `Not logged in to ${registry}: ${file.path} has no credentials for it`);
    return;
  }
  await file.save();
  writeLine(stdout, `Removed the credentials for ${registry} from ${file.path}`);
}
