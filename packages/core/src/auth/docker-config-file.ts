import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors/index.js';
import { configKeyFor, registryOfConfigKey } from './config-key.js';
import type { AuthConfig } from './types.js';

/** One `auths` entry as docker writes it; unknown fields are kept as they are. */
export interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  [field: string]: unknown;
}

export type DockerLogin = { username: string; password: string } | { identityToken: string };

const CREDENTIAL_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, as the docker CLI resolves it. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || join(homedir(), '.docker');
  return join(dir, 'config.json');
}

/**
 * docker's config.json, for login and logout. Only `auths` is edited; every other field
 * (credsStore, credHelpers, proxies, plugin settings…) is written back untouched.
 */
export class DockerConfigFile {
  private constructor(
    readonly path: string,
    private readonly data: Record<string, unknown>,
  ) {}

  /** Reads the file; a missing file is an empty config, a malformed one a ConfigError naming it. */
  static async load(path: string = dockerConfigPath()): Promise<DockerConfigFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new DockerConfigFile(path, {});
      throw new ConfigError(`cannot read docker config (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
        file: path,
        hint: 'check the file permissions',
        cause: err,
      });
    }
    return new DockerConfigFile(path, parseConfig(path, text));
  }

  /** The default credential helper (`docker-credential-<name>`), if the file names one. */
  get credsStore(): string | undefined {
    return typeof this.data.credsStore === 'string' ? this.data.credsStore : undefined;
  }

  /** Per-registry credential helpers, keyed as written in the file. */
  get credHelpers(): Readonly<Record<string, string>> {
    const helpers = this.data.credHelpers;
    if (!helpers || typeof helpers !== 'object') return {};
    return Object.freeze(Object.fromEntries(Object.entries(helpers).filter((e): e is [string, string] => typeof e[1] === 'string')));
  }

  /** Registries with an `auths` entry, normalised (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  get registries(): string[] {
    return [...new Set(Object.keys(this.auths()).map(registryOfConfigKey))].sort();
  }

  /** Credentials stored for a registry, or undefined when there are none. */
  getAuth(registry: string): AuthConfig | undefined {
    const key = this.findKey(registry);
    if (key === undefined) return undefined;
    return entryToAuthConfig(this.path, key, this.auths()[key] as DockerAuthEntry);
  }

  setAuth(registry: string, login: DockerLogin): void {
    const auths = this.auths(true);
    const existing = this.findKey(registry);
    const entry: DockerAuthEntry = existing !== undefined ? { ...(auths[existing] as DockerAuthEntry) } : {};
    for (const field of CREDENTIAL_FIELDS) delete entry[field];
    if ('identityToken' in login) entry.identitytoken = login.identityToken;
    else entry.auth = Buffer.from(`${login.username}:${login.password}`, 'utf8').toString('base64');
    // one entry per registry, under the key docker itself would use
    for (const key of this.keysFor(registry)) delete auths[key];
    auths[configKeyFor(registry)] = entry;
  }

  /** Forgets a registry's credentials; false when there were none. */
  removeAuth(registry: string): boolean {
    const keys = this.keysFor(registry);
    if (keys.length === 0) return false;
    const auths = this.auths(true);
    for (const key of keys) delete auths[key];
    return true;
  }

  /**
   * Writes atomically: a 0600 temp file in the same directory, fsync, rename over the original.
   * A crash leaves the old file or the new one, never half of either.
   */
  async save(): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.config.json.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(this.data, null, '\t')}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (err) {
      await rm(temp, { force: true });
      throw new ConfigError(`cannot write docker config (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
        file: this.path,
        hint: 'check that the directory is writable',
        cause: err,
      });
    }
  }

  /** The parsed file, for read-only inspection of fields this class does not model. */
  toJSON(): Readonly<Record<string, unknown>> {
    return this.data;
  }

  private auths(create = false): Record<string, unknown> {
    const auths = this.data.auths;
    if (auths && typeof auths === 'object' && !Array.isArray(auths)) return auths as Record<string, unknown>;
    const fresh: Record<string, unknown> = {};
    if (create) this.data.auths = fresh;
    return fresh;
  }

  private keysFor(registry: string): string[] {
    const wanted = registryOfConfigKey(registry);
    return Object.keys(this.auths()).filter((key) => registryOfConfigKey(key) === wanted);
  }

  /** docker's own key first (exact match wins), then any spelling of the same host. */
  private findKey(registry: string): string | undefined {
    const keys = this.keysFor(registry);
    const canonical = configKeyFor(registry);
    return keys.includes(canonical) ? canonical : keys[0];
  }
}

function parseConfig(path: string, text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`not valid JSON (${(err as Error).message.split('\n')[0]})`, { file: path, hint: 'fix the file or move it away', cause: err });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError('expected a JSON object', { file: path, hint: 'fix the file or move it away' });
  }
  const auths = (data as { auths?: unknown }).auths;
  if (auths !== undefined && (typeof auths !== 'object' || auths === null || Array.isArray(auths))) {
    throw new ConfigError('"auths" must be an object', { file: path, hint: 'fix the file or move it away' });
  }
  return data as Record<string, unknown>;
}

function entryToAuthConfig(path: string, key: string, entry: DockerAuthEntry): AuthConfig {
  if (!entry || typeof entry !== 'object') {
    throw new ConfigError(`auths["${key}"] must be an object`, { file: path, hint: 'fix the file or log in again' });
  }
  const config: AuthConfig = {};
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new ConfigError(`auths["${key}"].auth is not base64 of user:password`, { file: path, hint: `log in to ${registryOfConfigKey(key)} again` });
    }
    config.username = decoded.slice(0, colon);
    config.password = decoded.slice(colon + 1);
  }
  if (typeof entry.username === 'string' && entry.username) config.username = entry.username;
  if (typeof entry.password === 'string' && entry.password) config.password = entry.password;
  if (typeof entry.identitytoken === 'string' && entry.identitytoken) config.identityToken = entry.identitytoken;
  if (typeof entry.registrytoken === 'string' && entry.registrytoken) config.registryToken = entry.registrytoken;
  // an `auth` of "user:" beside an identity token carries no password worth sending
  if (config.identityToken && config.password === '') delete config.password;
  return config;
}
