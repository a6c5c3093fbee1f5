import { ConfigError, normalizeRegistry, parsePlatform, parseRepository } from '@nextdeploy/core';

/** A profile as written in the config file: the common keys plus the provider's own options. */
export interface ProfileConfig {
  /** Provider (plugin `meta.name`); default `basic`. */
  provider: string;
  /** Registry host[:port] the profile applies to, normalised. */
  registry?: string;
  /** Allow plain HTTP / unverified TLS for the profile's registry. */
  insecure: boolean;
  /** Everything else, validated later against the provider's option spec. */
  options: Record<string, unknown>;
}

export interface ConfigDefaults {
  /** Blobs copied at once. */
  jobs?: number;
  /** `os/arch[/variant]` picked from multi-arch images when none is given. */
  platform?: string;
}

export interface NextdeployConfig {
  plugins: string[];
  profiles: Record<string, ProfileConfig>;
  defaults: ConfigDefaults;
}

/** Keys the file may hold at the top level and under `defaults`; the JSON Schema lists the same. */
export const TOP_LEVEL: readonly string[] = ['$schema', 'plugins', 'profiles', 'defaults'];
export const DEFAULT_KEYS: readonly string[] = ['jobs', 'platform'];
const PROFILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const DEFAULT_PROVIDER = 'basic';

/**
 * Checks the file's structure (not provider options, which need the plugin loaded) and returns it
 * typed. Unknown keys are errors: a misspelt `profile:` silently ignored would mean anonymous pulls.
 */
export function parseConfigShape(raw: unknown, file: string | undefined): NextdeployConfig {
  const fail = (path: string, message: string): never => {
    throw new ConfigError(`${path}: ${message}`, file ? { file } : {});
  };
  if (raw === undefined || raw === null) return { plugins: [], profiles: {}, defaults: {} };
  if (!isObject(raw)) return fail('(top level)', `expected a mapping with ${TOP_LEVEL.slice(1).join(', ')}`);
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL.includes(key)) fail(key, `unknown key (known: ${TOP_LEVEL.slice(1).join(', ')})`);
  }

  const plugins = raw.plugins ?? [];
  if (!Array.isArray(plugins)) fail('plugins', 'expected a list of package names or paths');
  (plugins as unknown[]).forEach((p, i) => {
    if (typeof p !== 'string' || p.trim() === '') fail(`plugins[${i}]`, 'expected a package name or a path');
  });

  const profilesRaw = raw.profiles ?? {};
  if (!isObject(profilesRaw)) return fail('profiles', 'expected a mapping of profile name to settings');
  const profiles: Record<string, ProfileConfig> = {};
  for (const [name, value] of Object.entries(profilesRaw)) {
    const at = `profiles.${name}`;
    if (!PROFILE_NAME_RE.test(name)) fail(at, 'profile names use letters, digits, ".", "_" and "-"');
    if (!isObject(value)) fail(at, 'expected a mapping with provider, registry and the provider\'s options');
    const { provider = DEFAULT_PROVIDER, registry, insecure = false, ...options } = value as Record<string, unknown>;
    if (typeof provider !== 'string' || provider === '') fail(`${at}.provider`, 'expected a provider name, e.g. basic');
    if (typeof insecure !== 'boolean') fail(`${at}.insecure`, 'expected true or false');
    profiles[name] = {
      provider: provider as string,
      insecure: insecure as boolean,
      options,
      ...(registry !== undefined ? { registry: parseRegistryHost(registry, `${at}.registry`, fail) } : {}),
    };
  }

  const defaultsRaw = raw.defaults ?? {};
  if (!isObject(defaultsRaw)) return fail('defaults', 'expected a mapping with jobs and platform');
  for (const key of Object.keys(defaultsRaw)) {
    if (!DEFAULT_KEYS.includes(key)) fail(`defaults.${key}`, `unknown key (known: ${DEFAULT_KEYS.join(', ')})`);
  }
  const defaults: ConfigDefaults = {};
  if (defaultsRaw.jobs !== undefined) {
    const jobs = defaultsRaw.jobs;
    if (typeof jobs !== 'number' || !Number.isInteger(jobs) || jobs < 1 || jobs > 256) fail('defaults.jobs', 'expected a whole number from 1 to 256');
    defaults.jobs = jobs as number;
  }
  if (defaultsRaw.platform !== undefined) {
    if (typeof defaultsRaw.platform !== 'string') return fail('defaults.platform', 'expected os/arch[/variant], e.g. linux/amd64');
    try {
      parsePlatform(defaultsRaw.platform);
    } catch (err) {
      fail('defaults.platform', (err as Error).message);
    }
    defaults.platform = defaultsRaw.platform;
  }
  return { plugins: plugins as string[], profiles, defaults };
}

function parseRegistryHost(value: unknown, at: string, fail: (path: string, message: string) => never): string {
  const hint = 'expected a registry host[:port] such as ghcr.io or registry.example.com:5000';
  if (typeof value !== 'string' || value === '') return fail(at, hint);
  const host = value.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  try {
    // A lone word like "myregistry" parses as a Docker Hub namespace; insisting the parsed registry
    // is the host itself catches that as well as bad characters.
    if (parseRepository(`${host}/probe`).registry === normalizeRegistry(host)) return normalizeRegistry(host);
  } catch {
    // reported below
  }
  return fail(at, `"${host.slice(0, 100)}" is not a registry host; ${hint}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
