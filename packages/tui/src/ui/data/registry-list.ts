import { DockerConfigFile, normalizeRegistry, registryOfConfigKey } from '@nextdeploy/core';
import type { LoadedConfig } from '../../config/load-config.js';

/** How credentials for a registry would be found; never the credentials themselves. */
export type LoginState =
  | { kind: 'saved'; username?: string; token: boolean }
  | { kind: 'helper'; helper: string }
  | { kind: 'profile'; profile: string; provider: string }
  | { kind: 'none' };

export interface RegistryEntry {
  host: string;
  /** Profiles (`name (provider)`) that claim the host in .nextdeployrc. */
  profiles: { name: string; provider: string }[];
  login: LoginState;
}

/**
 * The registries the user has: `auths` and `credHelpers` keys of docker's config.json, profiles of
 * .nextdeployrc that name a registry, and hosts added this session. Sorted by host.
 */
export function listRegistries(docker: DockerConfigFile, config: LoadedConfig | undefined, added: readonly string[]): RegistryEntry[] {
  const helpers = new Map(Object.entries(docker.credHelpers).map(([key, helper]) => [registryOfConfigKey(key), helper]));
  const profiles = (config?.profiles ?? []).filter((p) => p.registry !== undefined);
  const hosts = new Set<string>([
    ...docker.registries,
    ...helpers.keys(),
    ...profiles.map((p) => normalizeRegistry(p.registry as string)),
    ...added.map(normalizeRegistry),
  ]);
  return [...hosts].sort().map((host) => {
    const claimed = profiles.filter((p) => normalizeRegistry(p.registry as string) === host).map((p) => ({ name: p.name, provider: p.plugin.meta.name }));
    return { host, profiles: claimed, login: loginState(docker, host, helpers.get(host), claimed[0]) };
  });
}

/** Mirrors the keychain's order: a profile's provider first, then credential helpers, then `auths`. */
function loginState(docker: DockerConfigFile, host: string, helper: string | undefined, profile: { name: string; provider: string } | undefined): LoginState {
  if (profile) return { kind: 'profile', profile: profile.name, provider: profile.provider };
  if (helper) return { kind: 'helper', helper };
  const auth = docker.getAuth(host);
  if (auth && (auth.password || auth.identityToken || auth.registryToken)) {
    return { kind: 'saved', ...(auth.username ? { username: auth.username } : {}), token: !auth.password };
  }
  if (auth && docker.credsStore) return { kind: 'helper', helper: docker.credsStore };
  return { kind: 'none' };
}

export function describeLogin(state: LoginState): string {
  switch (state.kind) {
    case 'saved':
      return state.token ? 'logged in (token)' : `logged in as ${state.username ?? '?'}`;
    case 'helper':
      return `credential helper ${state.helper}`;
    case 'profile':
      return `profile ${state.profile} (${state.provider})`;
    case 'none':
      return 'not logged in';
  }
}
