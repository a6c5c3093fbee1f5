import type { AuthResource, Authenticator, Keychain, PluginLogger, ProviderKeychain } from '@nextdeploy/core';
import type { ConfiguredKeychain } from './keychain.js';
import type { LoadedConfig } from './load-config.js';

export interface LazyKeychainOptions {
  /** `--config FILE`. */
  configFile?: string;
  /** `--profile NAME`. */
  profile?: string;
  /** `-r, --registry TYPE`; `REGISTRY_TYPE` from the environment otherwise. */
  registryType?: string;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives each config warning once (plugin load failures, plain secrets). */
  onWarning?: (message: string) => void;
  logger?: PluginLogger;
}

/**
 * A keychain that reads the configuration and loads plugins when credentials are first needed,
 * so commands that never touch a registry (and `--help`) pay nothing for it, and the command
 * table can build its context synchronously.
 */
export class LazyConfiguredKeychain implements Keychain {
  readonly #options: LazyKeychainOptions;
  #ready: Promise<{ loaded: LoadedConfig; configured: ConfiguredKeychain }> | undefined;

  constructor(options: LazyKeychainOptions = {}) {
    this.#options = options;
  }

  async resolve(resource: AuthResource, signal?: AbortSignal): Promise<Authenticator> {
    const { configured } = await this.#load();
    return configured.keychain.resolve(resource, signal);
  }

  /** The loaded configuration (loads it on first call). */
  async config(): Promise<LoadedConfig> {
    return (await this.#load()).loaded;
  }

  /**
   * Runs `logout` of the provider that handles `registry` (e.g. erasing from its credential
   * helper) and drops cached credentials; false when that provider has no logout.
   */
  async logout(registry: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.#load()).configured.keychain.logout(registry, signal);
  }

  /**
   * The plugin (and profile) the keychain would ask for `registry`, chosen by the keychain itself so
   * nothing else keeps a copy of its order; undefined when only docker's config.json and anonymous
   * access are left. Rejects as `resolve` would: a broken config, or a plugin whose `matches` throws.
   */
  async providerFor(registry: string): Promise<ReturnType<ProviderKeychain['providerFor']>> {
    return (await this.#load()).configured.keychain.providerFor(registry);
  }

  /** Registries whose profile sets `insecure: true`. */
  async insecureRegistries(): Promise<string[]> {
    return (await this.#load()).configured.insecureRegistries;
  }

  #load(): Promise<{ loaded: LoadedConfig; configured: ConfiguredKeychain }> {
    this.#ready ??= (async () => {
      // imported here so building a command's context costs nothing until credentials are needed;
      // one import rather than one per module, so the loaders arrive in two files, not five
      const { loadNextdeployConfig, createConfiguredKeychain } = await import('./index.js');
      const o = this.#options;
      const loaded = await loadNextdeployConfig({
        ...(o.cwd ? { cwd: o.cwd } : {}),
        ...(o.configFile ? { configFile: o.configFile } : {}),
        ...(o.env ? { env: o.env } : {}),
      });
      for (const warning of loaded.warnings) o.onWarning?.(warning);
      const configured = createConfiguredKeychain(loaded, {
        ...(o.profile !== undefined ? { profile: o.profile } : {}),
        ...(o.registryType !== undefined ? { registryType: o.registryType } : {}),
        ...(o.env ? { env: o.env } : {}),
        ...(o.logger ? { logger: o.logger } : {}),
      });
      return { loaded, configured };
    })();
    return this.#ready;
  }
}
