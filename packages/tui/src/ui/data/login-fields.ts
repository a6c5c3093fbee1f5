import { loginFieldsFor, normalizeRegistry, type LoginField, type ProviderPlugin } from '@nextdeploy/core';
import type { LoadedConfig } from '../../config/load-config.js';

export interface LoginForm {
  username: LoginField;
  password: LoginField;
  /** The provider whose labels these are, when one handles the host. */
  provider?: string;
}

const DEFAULT_FORM: LoginForm = {
  username: { name: 'username', label: 'Username' },
  password: { name: 'password', label: 'Password', secret: true },
};

/**
 * The login form for a host: the labels of the provider that would handle it (its profile's, else
 * the first plugin whose `matches` claims it), else plain username/password. The login command
 * saves a username and a password, so those are the two fields, whatever else a plugin lists.
 */
export function loginFormFor(config: LoadedConfig | undefined, registry: string): LoginForm {
  const plugin = providerFor(config, registry);
  if (!plugin) return DEFAULT_FORM;
  const fields = loginFieldsFor(plugin, registry);
  const find = (name: string): LoginField | undefined => fields.find((f) => f.name === name);
  return {
    username: find('username') ?? DEFAULT_FORM.username,
    password: { ...(find('password') ?? DEFAULT_FORM.password), secret: true },
    provider: plugin.displayName,
  };
}

function providerFor(config: LoadedConfig | undefined, registry: string): ProviderPlugin | undefined {
  if (!config || registry === '') return undefined;
  const host = normalizeRegistry(registry);
  const profile = config.profiles.find((p) => p.registry !== undefined && normalizeRegistry(p.registry) === host);
  if (profile) return profile.plugin;
  return config.plugins.map((p) => p.plugin).find((p) => {
    try {
      return p.matches(host);
    } catch {
      // a plugin whose matches() throws cannot label the form; the keychain reports it when used
      return false;
    }
  });
}
