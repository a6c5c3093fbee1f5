import { DockerConfigFile, eraseCredentials } from '@nextdeploy/core';
import { LazyConfiguredKeychain } from '../config/lazy-keychain.js';
import { warn } from '../program/report-error.js';
import { writeLine } from '../output/write.js';
import { parseRegistryArgument } from '../registry/host-argument.js';
import type { CommandInvocation } from './types.js';

/**
 * Forgets a registry everywhere we could have put credentials for it: the credential helper docker's
 * config names, config.json `auths`, and the provider plugin that handles the host (its own logout).
 */
export async function run({ args, stdout, stderr, context }: CommandInvocation): Promise<void> {
  const registry = parseRegistryArgument(args[0]!);
  const file = await DockerConfigFile.load();
  const removed: string[] = [];
  const helper = await eraseCredentials(file, registry, { signal: context.signal });
  if (helper) removed.push(`docker-credential-${helper}`);
  if (file.removeAuth(registry)) {
    await file.save();
    removed.push(file.path);
  }
  if (context.keychain instanceof LazyConfiguredKeychain) {
    // docker's own places are already clean; a broken config or plugin must not undo that report.
    const viaPlugin = await context.keychain.logout(registry, context.signal).catch((err: unknown) => {
      warn(`provider logout for ${registry} failed: ${err instanceof Error ? err.message : String(err)}`, stderr);
      return false;
    });
    if (viaPlugin) removed.push('its provider plugin');
  }
  if (removed.length === 0) {
    writeLine(stdout, `Not logged in to ${registry}: ${file.path} has no credentials for it`);
    return;
  }
  writeLine(stdout, `Removed the credentials for ${registry} from ${removed.join(', ')}`);
}
