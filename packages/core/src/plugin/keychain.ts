import { anonymous, isAnonymous, type AuthConfig, type AuthResource, type Authenticator, type Keychain } from '../auth/types.js';
import { ConfigError, NextdeployError, PluginError, isAbortError } from '../errors/index.js';
import { normalizeRegistry } from '../reference/hosts.js';
import { CredentialCache } from './cache.js';
import { checkResolvedCredentials } from './credentials.js';
import { validateProviderOptions } from './options.js';
import type { PluginLogger, ProviderContext, ProviderPlugin } from './types.js';

/** A named set of provider options from the config file. */
export interface ProviderProfile {
  name: string;
  plugin: ProviderPlugin;
  /** Registry host the profile applies to; without one it applies only when chosen with `--profile`. */
  registry?: string;
  /** Already validated with `validateProviderOptions`. */
  options: Readonly<Record<string, unknown>>;
}

export interface ProviderKeychainOptions {
  /** Every loaded plugin, in config order: the first whose `matches` claims a host handles it. */
  plugins: readonly ProviderPlugin[];
  profiles?: readonly ProviderProfile[];
  /** `--profile NAME`: wins for its registry, or for every host when it names none. */
  profile?: string;
  /** `--registry TYPE` / `REGISTRY_TYPE`: a plugin name or one of a plugin's `registryTypes`. */
  registryType?: string;
  /** Asked, in order, when no plugin has credentials (docker config.json, credential helpers). */
  fallbacks?: readonly Keychain[];
  env?: Readonly<Record<string, string | undefined>>;
  logger?: PluginLogger;
  now?: () => number;
}

interface Binding {
  id: string;
  plugin: ProviderPlugin;
  options: Readonly<Record<string, unknown>>;
  profile?: string;
  registryType?: string;
}

const silent: PluginLogger = { debug: () => {}, warn: () => {} };

/**
 * The keychain chain: explicit profile -> profile for the host -> forced registry type -> plugin
 * whose `matches` claims the host -> fallbacks -> anonymous. A plugin answering undefined passes the
 * host on down the chain; a plugin that fails stops it with a `PluginError` for that host only,
 * because silently falling back to other credentials would turn a broken plugin into a puzzling 401.
 */
export class ProviderKeychain implements Keychain {
  readonly #profiles: readonly ProviderProfile[];
  readonly #explicit: ProviderProfile | undefined;
  readonly #forced: Binding | undefined;
  readonly #auto: readonly Binding[];
  readonly #fallbacks: readonly Keychain[];
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #logger: PluginLogger;
  readonly #cache: CredentialCache;

  constructor(options: ProviderKeychainOptions) {
    this.#profiles = options.profiles ?? [];
    this.#env = options.env ?? process.env;
    this.#logger = options.logger ?? silent;
    this.#fallbacks = options.fallbacks ?? [];
    this.#cache = new CredentialCache(options.now);
    if (options.profile !== undefined) {
      this.#explicit = this.#profiles.find((p) => p.name === options.profile);
      if (!this.#explicit) {
        const known = this.#profiles.map((p) => p.name);
        throw new ConfigError(`profile "${options.profile}" is not defined`, {
          hint: known.length ? `defined profiles: ${known.join(', ')}` : 'add it under "profiles" in .nextdeployrc',
        });
      }
    }
    if (options.registryType !== undefined) this.#forced = this.#forcedBinding(options.plugins, options.registryType);
    this.#auto = options.plugins.flatMap((plugin) => {
      const defaults = this.#defaultOptions(plugin);
      return defaults ? [{ id: `plugin:${plugin.meta.name}`, plugin, options: defaults }] : [];
    });
  }

  async resolve(resource: AuthResource, resolveSignal?: AbortSignal): Promise<Authenticator> {
    const target: AuthResource = { ...resource, registry: normalizeRegistry(resource.registry) };
    const binding = this.#select(target.registry);
    if (!binding && this.#fallbacks.length === 0) return anonymous;
    return {
      authorization: async (authSignal?: AbortSignal): Promise<AuthConfig> => {
        const signal = authSignal ?? resolveSignal;
        if (binding) {
          const auth = await this.#cache.get(cacheKey(binding, target), () => this.#call(binding, target, signal));
          if (!isAnonymous(auth)) return auth;
        }
        for (const fallback of this.#fallbacks) {
          const auth = await (await fallback.resolve(target, signal)).authorization(signal);
          if (!isAnonymous(auth)) return auth;
        }
        return {};
      },
    };
  }

  /** The plugin (and profile) that handles a host, for `login`, `logout` and `profiles`. */
  providerFor(registry: string): { plugin: ProviderPlugin; profile?: string; options: Readonly<Record<string, unknown>> } | undefined {
    const b = this.#select(normalizeRegistry(registry));
    return b && { plugin: b.plugin, options: b.options, ...(b.profile !== undefined ? { profile: b.profile } : {}) };
  }

  /** Runs the handling plugin's `logout` and forgets cached credentials; false when no plugin had one. */
  async logout(registry: string, signal?: AbortSignal): Promise<boolean> {
    const host = normalizeRegistry(registry);
    const binding = this.#select(host);
    this.#cache.invalidate();
    if (!binding?.plugin.logout) return false;
    const ctx = this.#context(binding, { registry: host }, signal);
    await this.#guard(binding, host, () => binding.plugin.logout!(ctx));
    return true;
  }

  #select(registry: string): Binding | undefined {
    const explicit = this.#explicit;
    if (explicit && (explicit.registry === undefined || normalizeRegistry(explicit.registry) === registry)) return profileBinding(explicit);
    const profile = this.#profiles.find((p) => p.registry !== undefined && normalizeRegistry(p.registry) === registry);
    if (profile) return profileBinding(profile);
    if (this.#forced) return this.#forced;
    return this.#auto.find((b) => {
      try {
        return b.plugin.matches(registry) === true;
      } catch (err) {
        throw new PluginError(b.plugin.meta.name, `matches("${registry}") threw: ${oneLine(err)}`, { cause: err });
      }
    });
  }

  async #call(binding: Binding, resource: AuthResource, signal?: AbortSignal): Promise<AuthConfig> {
    const ctx = this.#context(binding, resource, signal);
    const value = await this.#guard(binding, resource.registry, () => binding.plugin.resolve(ctx));
    const creds = checkResolvedCredentials(binding.plugin.meta.name, value);
    this.#logger.debug(`${binding.plugin.meta.name}: ${creds && !isAnonymous(creds) ? 'credentials' : 'no credentials'} for ${resource.registry}`);
    return creds ?? {};
  }

  async #guard<T>(binding: Binding, registry: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (isAbortError(err) || err instanceof PluginError) throw err;
      const what = binding.profile ? `profile "${binding.profile}" failed for ${registry}` : `failed for ${registry}`;
      throw new PluginError(binding.plugin.meta.name, `${what}: ${redact(oneLine(err), binding)}`, { cause: err });
    }
  }

  #context(binding: Binding, resource: AuthResource, signal?: AbortSignal): ProviderContext {
    return {
      registry: resource.registry,
      ...(resource.repository !== undefined ? { repository: resource.repository } : {}),
      options: binding.options,
      ...(binding.profile !== undefined ? { profile: binding.profile } : {}),
      ...(binding.registryType !== undefined ? { registryType: binding.registryType } : {}),
      env: this.#env,
      signal: signal ?? new AbortController().signal,
      logger: this.#logger,
    };
  }

  #forcedBinding(plugins: readonly ProviderPlugin[], type: string): Binding {
    const wanted = type.toLowerCase();
    const plugin = plugins.find((p) => p.meta.name === wanted || (p.registryTypes ?? []).includes(wanted));
    if (!plugin) {
      const known = plugins.flatMap((p) => [p.meta.name, ...(p.registryTypes ?? [])]);
      throw new ConfigError(`registry type "${type}" matches no loaded provider`, {
        hint: `known types: ${known.join(', ') || 'none'}; add the provider's package to "plugins" in .nextdeployrc`,
      });
    }
    const options = validateProviderOptions(plugin.options, {}, { where: `registry type "${type}"`, env: this.#env }).values;
    return { id: `type:${wanted}`, plugin, options, registryType: wanted };
  }

  /** Options a plugin runs with when picked by `matches` alone; undefined when it needs a profile. */
  #defaultOptions(plugin: ProviderPlugin): Record<string, unknown> | undefined {
    try {
      return validateProviderOptions(plugin.options, {}, { where: `provider "${plugin.meta.name}"`, env: this.#env }).values;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.#logger.debug(`${plugin.meta.name} needs a profile to be used: ${err.message}`);
      return undefined;
    }
  }
}

function profileBinding(profile: ProviderProfile): Binding {
  return { id: `profile:${profile.name}`, plugin: profile.plugin, options: profile.options, profile: profile.name };
}

function cacheKey(binding: Binding, resource: AuthResource): string {
  return `${binding.id}\0${resource.registry}\0${resource.repository ?? ''}`;
}

function oneLine(err: unknown): string {
  const text = err instanceof NextdeployError || err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Belt and braces: a plugin may echo its own secret option in an error; take it out before we print. */
function redact(message: string, binding: Binding): string {
  let out = message;
  for (const [key, spec] of Object.entries(binding.plugin.options)) {
    const value = binding.options[key];
    if (spec.secret && typeof value === 'string' && value.length >= 4) out = out.split(value).join('***');
  }
  return out;
}
