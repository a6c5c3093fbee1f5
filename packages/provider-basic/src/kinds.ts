import { normalizeRegistry } from '@nextdeploy/core';

/** The registries this provider knows by name; `generic` is every other one. */
export type BasicKind = 'dockerhub' | 'ghcr' | 'digitalocean' | 'generic';
export const BASIC_KINDS: readonly BasicKind[] = ['dockerhub', 'ghcr', 'digitalocean', 'generic'];

export interface KindInfo {
  kind: BasicKind;
  /** Normalised hosts auto-detected as this kind. */
  hosts: readonly string[];
  /** Environment variables read for the username and the secret, most specific first (the original Go tool's names). */
  usernameEnv: readonly string[];
  secretEnv: readonly string[];
  secretLabel: string;
  /** DigitalOcean takes the API token as both username and password, so a username is optional. */
  tokenIsUsername: boolean;
}

const FALLBACK_USERNAME = ['USERNAME'];
const FALLBACK_SECRET = ['PASSWORD', 'TOKEN'];

const KINDS: Record<BasicKind, KindInfo> = {
  dockerhub: {
    kind: 'dockerhub',
    // normalizeRegistry folds index.docker.io and registry-1.docker.io into docker.io
    hosts: ['docker.io'],
    usernameEnv: ['DOCKERHUB_USERNAME', ...FALLBACK_USERNAME],
    secretEnv: ['DOCKERHUB_PASSWORD', ...FALLBACK_SECRET],
    secretLabel: 'Password or personal access token',
    tokenIsUsername: false,
  },
  ghcr: {
    kind: 'ghcr',
    hosts: ['ghcr.io'],
    usernameEnv: ['GHCR_USERNAME', ...FALLBACK_USERNAME],
    secretEnv: ['GHCR_TOKEN', ...FALLBACK_SECRET],
    secretLabel: 'Personal access token (read:packages, write:packages)',
    tokenIsUsername: false,
  },
  digitalocean: {
    kind: 'digitalocean',
    hosts: ['registry.digitalocean.com'],
    usernameEnv: ['DIGITALOCEAN_USERNAME', ...FALLBACK_USERNAME],
    secretEnv: ['DIGITALOCEAN_TOKEN', ...FALLBACK_SECRET],
    secretLabel: 'DigitalOcean API token',
    tokenIsUsername: true,
  },
  generic: {
    kind: 'generic',
    hosts: [],
    usernameEnv: FALLBACK_USERNAME,
    secretEnv: FALLBACK_SECRET,
    secretLabel: 'Password or token',
    tokenIsUsername: false,
  },
};

/** The kind a forced `--registry TYPE` names, else the one the host belongs to. */
export function kindFor(registry: string, registryType?: string): KindInfo {
  if (registryType && (BASIC_KINDS as readonly string[]).includes(registryType)) return KINDS[registryType as BasicKind];
  const host = normalizeRegistry(registry);
  return Object.values(KINDS).find((k) => k.hosts.includes(host)) ?? KINDS.generic;
}

/** The first of `names` set to a non-empty value in `env`. */
export function firstEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return value;
  }
  return undefined;
}
