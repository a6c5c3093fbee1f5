import { isLoopbackRegistry, normalizeRegistry } from '../reference/hosts.js';

/**
 * How a registry is reached: `https` (verified TLS), `http` (plain), or `probe` for an insecure
 * registry, which is tried over unverified https first and falls back to http.
 */
export type SchemeMode = 'https' | 'http' | 'probe';

/** `http://host:5000/` and `HOST:5000` name the same insecure registry. */
export function normalizeRegistryName(entry: string): string {
  return normalizeRegistry(entry.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, ''));
}

export function schemeMode(registry: string, insecureRegistries: readonly string[] = []): SchemeMode {
  const insecure = insecureRegistries.some((r) => normalizeRegistryName(r) === registry);
  if (insecure) return 'probe';
  return isLoopbackRegistry(registry) ? 'http' : 'https';
}

/** Probe outcomes live for the process so every transport to the same insecure registry agrees and probes once. */
const probed = new Map<string, 'https' | 'http'>();

export function rememberedScheme(apiHost: string): 'https' | 'http' | undefined {
  return probed.get(apiHost);
}

export function rememberScheme(apiHost: string, scheme: 'https' | 'http'): void {
  probed.set(apiHost, scheme);
}
