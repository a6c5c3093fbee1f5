import { configKeyFor, registryOfConfigKey } from '../auth/config-key.js';
import { normalizeRegistry } from '../reference/hosts.js';

/** The two fields of docker's config.json that name credential helpers (`DockerConfigFile` has both). */
export interface CredentialHelpersConfig {
  /** Default helper for every registry, e.g. `desktop`, `osxkeychain`, `pass`. */
  readonly credsStore?: string | undefined;
  /** Per-registry helpers; they win over `credsStore`. */
  readonly credHelpers?: Readonly<Record<string, string>>;
}

/**
 * The server URL docker passes to helpers for a registry: the same key it writes in `auths`
 * (Docker Hub keeps its historical `https://index.docker.io/v1/`, others their bare host[:port]).
 */
export function helperServerUrl(registry: string): string {
  return configKeyFor(registry);
}

/** The helper docker would use for a registry: `credHelpers[host]`, else `credsStore`, else none. */
export function helperFor(config: CredentialHelpersConfig, registry: string): string | undefined {
  const host = normalizeRegistry(registry);
  for (const [key, helper] of Object.entries(config.credHelpers ?? {})) {
    if (helper && registryOfConfigKey(key) === host) return helper;
  }
  return config.credsStore || undefined;
}
