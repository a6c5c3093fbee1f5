import { CredentialHelperKeychain, DockerConfigKeychain, ProviderKeychain, type PluginLogger } from '@nextdeploy/core';
import type { LoadedConfig } from './load-config.js';

export interface ConfiguredKeychainOptions {
  /** `--profile NAME`. */
  profile?: string;
  /** `-r, --registry TYPE`; falls back to `REGISTRY_TYPE` from `env`. */
  registryType?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** docker's config.json; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
  dockerConfigPath?: string;
  logger?: PluginLogger;
}

export interface ConfiguredKeychain {
  keychain: ProviderKeychain;
  /** Registries whose profile sets `insecure: true`. */
  insecureRegistries: string[];
}

/**
 * The keychain every command uses: profiles and plugins from the config, then docker's
 * config.json (credential helpers first, as docker itself prefers them, then `auths`), then anonymous.
 */
export function createConfiguredKeychain(loaded: LoadedConfig, options: ConfiguredKeychainOptions = {}): ConfiguredKeychain {
  const env = options.env ?? process.env;
  if (options.profile !== undefined) {
    const problem = loaded.problems.find((p) => p.profile === options.profile);
    if (problem) throw problem.error;
  }
  const dockerConfig = new DockerConfigKeychain({ ...(options.dockerConfigPath ? { path: options.dockerConfigPath } : {}), env: env as NodeJS.ProcessEnv });
  const registryType = options.registryType ?? (env.REGISTRY_TYPE || undefined);
  const keychain = new ProviderKeychain({
    plugins: loaded.plugins.map((p) => p.plugin),
    profiles: loaded.profiles,
    fallbacks: [new CredentialHelperKeychain(() => dockerConfig.file(), { env }), dockerConfig],
    env,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(registryType !== undefined ? { registryType } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const insecureRegistries = loaded.profiles.filter((p) => p.insecure && p.registry !== undefined).map((p) => p.registry as string);
  return { keychain, insecureRegistries };
}
