import { PluginError } from '../errors/index.js';
import { PROVIDER_API_VERSION, type LoginField, type ProviderPlugin } from './types.js';

/** Options every profile understands; a plugin may not redefine them. */
export const COMMON_PROFILE_OPTIONS = ['provider', 'registry', 'insecure'] as const;

export type ProviderDefinition = Omit<ProviderPlugin, 'apiVersion'> & { apiVersion?: number };

/**
 * Builds a provider plugin. Stamps the API version this core speaks (a plugin compiled against an
 * older core keeps the version it was built with, which is what lets the loader refuse it) and
 * checks the shape early, so an author sees mistakes when the module loads rather than at login.
 */
export function defineProvider(definition: ProviderDefinition): ProviderPlugin {
  const plugin: ProviderPlugin = { ...definition, apiVersion: definition.apiVersion ?? PROVIDER_API_VERSION };
  return assertProvider(plugin, definition?.meta?.name ?? 'unnamed');
}

const OPTION_TYPES = new Set(['string', 'path', 'boolean', 'number', 'enum']);

/**
 * Checks that an untrusted value (a module's export) is a provider this core can run.
 * `source` names it in errors (a package name or a path) until the plugin's own name is known.
 */
export function assertProvider(value: unknown, source: string): ProviderPlugin {
  const fail = (name: string, message: string): never => {
    throw new PluginError(name, message);
  };
  if (!value || typeof value !== 'object') return fail(source, 'the module does not export a provider object (use defineProvider)');
  const p = value as Partial<ProviderPlugin>;
  const name = typeof p.meta?.name === 'string' && p.meta.name ? p.meta.name : undefined;
  if (!name) return fail(source, 'meta.name must be a non-empty string');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) return fail(name, 'meta.name must be lower-case letters, digits, ".", "_" or "-"');
  if (typeof p.meta?.version !== 'string') return fail(name, 'meta.version must be a string');
  if (typeof p.apiVersion !== 'number') return fail(name, 'apiVersion is missing; build the plugin with defineProvider from @nextdeploy/core');
  if (p.apiVersion !== PROVIDER_API_VERSION) {
    return fail(
      name,
      `built for plugin API version ${p.apiVersion} but this nextdeploy speaks version ${PROVIDER_API_VERSION}; upgrade the plugin or nextdeploy so they match`,
    );
  }
  if (typeof p.displayName !== 'string' || !p.displayName) return fail(name, 'displayName must be a non-empty string');
  if (typeof p.matches !== 'function') return fail(name, 'matches(registry) must be a function');
  if (typeof p.resolve !== 'function') return fail(name, 'resolve(ctx) must be a function');
  if (p.logout !== undefined && typeof p.logout !== 'function') return fail(name, 'logout(ctx) must be a function when present');
  if (typeof p.loginFields !== 'function' && !Array.isArray(p.loginFields)) return fail(name, 'loginFields must be a list or a function returning one');
  if (p.registryTypes !== undefined && (!Array.isArray(p.registryTypes) || p.registryTypes.some((t) => typeof t !== 'string'))) {
    return fail(name, 'registryTypes must be a list of strings');
  }
  if (!p.options || typeof p.options !== 'object') return fail(name, 'options must be an object describing profile options ({} for none)');
  for (const [key, option] of Object.entries(p.options)) {
    if ((COMMON_PROFILE_OPTIONS as readonly string[]).includes(key)) return fail(name, `options.${key} is reserved for every profile; pick another name`);
    if (!option || !OPTION_TYPES.has((option as { type?: string }).type ?? '')) {
      return fail(name, `options.${key}.type must be one of ${[...OPTION_TYPES].join(', ')}`);
    }
    if (option.type === 'enum' && (!Array.isArray(option.values) || option.values.length === 0)) {
      return fail(name, `options.${key}.values must list the allowed values`);
    }
  }
  return p as ProviderPlugin;
}

/** The login fields a plugin wants for a host, whichever form it declared them in. */
export function loginFieldsFor(plugin: ProviderPlugin, registry: string): readonly LoginField[] {
  return typeof plugin.loginFields === 'function' ? plugin.loginFields(registry) : plugin.loginFields;
}
