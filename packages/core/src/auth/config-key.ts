import { DOCKER_HUB_CONFIG_KEY, DOCKER_HUB_REGISTRY, normalizeRegistry } from '../reference/hosts.js';

/**
 * The registry a config.json `auths` key (or a keychain map key) names. docker has written keys as
 * `https://host/v1/`, `http://host`, and bare `host[:port]` over the years; all fold to the host.
 */
export function registryOfConfigKey(key: string): string {
  const host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
  return normalizeRegistry(host);
}

/** The key docker itself writes for a registry: Docker Hub keeps its historical v1 URL. */
export function configKeyFor(registry: string): string {
  const normalized = normalizeRegistry(registry);
  return normalized === DOCKER_HUB_REGISTRY ? DOCKER_HUB_CONFIG_KEY : normalized;
}
