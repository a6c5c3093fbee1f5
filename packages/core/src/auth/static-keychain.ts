import { registryOfConfigKey } from './config-key.js';
import { anonymous, isAnonymous, type AuthConfig, type AuthResource, type Authenticator, type Keychain } from './types.js';

/** Hands out fixed credentials (flags, environment, tests). */
export function staticAuthenticator(config: AuthConfig): Authenticator {
  const frozen = Object.freeze({ ...config });
  return { authorization: async () => frozen };
}

/** Fixed credentials per registry; keys may be written any way docker writes config.json keys. */
export function staticKeychain(entries: Record<string, AuthConfig> | ReadonlyMap<string, AuthConfig>): Keychain {
  const byRegistry = new Map<string, Authenticator>();
  const pairs = entries instanceof Map ? [...entries] : Object.entries(entries);
  for (const [key, config] of pairs) byRegistry.set(registryOfConfigKey(key), staticAuthenticator(config));
  return {
    resolve: async (resource: AuthResource) => byRegistry.get(registryOfConfigKey(resource.registry)) ?? anonymous,
  };
}

/**
 * Asks keychains in order; the first to produce non-anonymous credentials wins. The walk happens
 * when credentials are first needed and its winner is kept, so later calls (token refreshes) do not
 * re-ask keychains that had nothing.
 */
export function multiKeychain(...keychains: Keychain[]): Keychain {
  return {
    async resolve(resource: AuthResource, signal?: AbortSignal): Promise<Authenticator> {
      let winner: Authenticator | undefined;
      return {
        async authorization(sig?: AbortSignal): Promise<AuthConfig> {
          const s = sig ?? signal;
          if (winner) return winner.authorization(s);
          for (const keychain of keychains) {
            const authenticator = await keychain.resolve(resource, s);
            const config = await authenticator.authorization(s);
            if (!isAnonymous(config)) {
              winner = authenticator;
              return config;
            }
          }
          return {};
        },
      };
    },
  };
}
