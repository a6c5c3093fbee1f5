import type { AuthConfig } from '../auth/types.js';
import { CredentialHelper } from './client.js';
import { helperFor, helperServerUrl, type CredentialHelpersConfig } from './config.js';
import type { HelperRunOptions } from './protocol.js';

/**
 * What `login` calls before writing `auths`: when docker's config names a helper for the registry
 * the secret goes there (and nowhere else), mirroring docker's own login. Returns the helper used,
 * or undefined when none is configured and the caller should write config.json `auths` itself.
 */
export async function storeCredentials(
  config: CredentialHelpersConfig,
  registry: string,
  auth: AuthConfig,
  options: HelperRunOptions = {},
): Promise<string | undefined> {
  const name = helperFor(config, registry);
  if (!name) return undefined;
  const { signal, ...rest } = options;
  await new CredentialHelper(name, rest).store(helperServerUrl(registry), auth, signal);
  return name;
}

/** What `logout` calls: erases the entry from the configured helper; undefined when none is configured. */
export async function eraseCredentials(
  config: CredentialHelpersConfig,
  registry: string,
  options: HelperRunOptions = {},
): Promise<string | undefined> {
  const name = helperFor(config, registry);
  if (!name) return undefined;
  const { signal, ...rest } = options;
  await new CredentialHelper(name, rest).erase(helperServerUrl(registry), signal);
  return name;
}
