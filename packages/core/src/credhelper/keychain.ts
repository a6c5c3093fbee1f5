import { anonymous, type AuthConfig, type AuthResource, type Authenticator, type Keychain } from '../auth/types.js';
import { CredentialCache } from '../plugin/cache.js';
import { normalizeRegistry } from '../reference/hosts.js';
import { CredentialHelper } from './client.js';
import { helperFor, helperServerUrl, type CredentialHelpersConfig } from './config.js';
import type { HelperRunOptions } from './protocol.js';

/**
 * Answers from the credential helper docker's config names for a host (`credHelpers[host]`, else
 * `credsStore`); anonymous when it names none or the helper has no entry, so the `auths` keychain
 * behind it in the chain still gets its turn. A helper runs at most once per host per process.
 */
export class CredentialHelperKeychain implements Keychain {
  readonly #config: () => Promise<CredentialHelpersConfig>;
  readonly #options: Omit<HelperRunOptions, 'signal'>;
  readonly #cache = new CredentialCache();

  /**
   * `config` may be a function so the keychain can follow a config.json that changes while the
   * process runs (e.g. `() => dockerConfigKeychain.file()`).
   */
  constructor(config: CredentialHelpersConfig | (() => Promise<CredentialHelpersConfig>), options: Omit<HelperRunOptions, 'signal'> = {}) {
    this.#config = typeof config === 'function' ? config : async () => config;
    this.#options = options;
  }

  async resolve(resource: AuthResource): Promise<Authenticator> {
    const registry = normalizeRegistry(resource.registry);
    const name = helperFor(await this.#config(), registry);
    if (!name) return anonymous;
    const helper = new CredentialHelper(name, this.#options);
    return {
      authorization: (signal?: AbortSignal): Promise<AuthConfig> =>
        this.#cache.get(`${name}\0${registry}`, async () => (await helper.get(helperServerUrl(registry), signal)) ?? {}),
    };
  }
}
