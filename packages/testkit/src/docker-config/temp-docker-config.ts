/**
 * A throwaway DOCKER_CONFIG directory with a config.json, so tests exercise credential lookup
 * without touching the real ~/.docker.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeDir } from '../lifecycle/temp-dir.js';
import { track, untrack } from '../lifecycle/tracker.js';

/** One `auths` entry: a user/password pair (encoded into `auth`), or raw fields as written by docker. */
export type DockerAuthEntry =
  | { username: string; password: string }
  | { auth: string }
  | { identitytoken: string; auth?: string };

export interface DockerConfigExtras {
  credsStore?: string;
  credHelpers?: Record<string, string>;
  /** Anything else to put at the top level of config.json. */
  [key: string]: unknown;
}

export interface TempDockerConfig {
  dir: string;
  /** `${dir}/config.json` */
  configPath: string;
  /** `{ DOCKER_CONFIG: dir }`, to merge into a child process env. */
  env: { DOCKER_CONFIG: string };
  /** The current config.json contents (after the code under test wrote to it). */
  read(): Promise<Record<string, unknown>>;
  cleanup(): Promise<void>;
}

function toEntry(entry: DockerAuthEntry): Record<string, string> {
  if ('username' in entry) return { auth: Buffer.from(`${entry.username}:${entry.password}`).toString('base64') };
  return { ...entry };
}

export async function tempDockerConfig(
  auths: Record<string, DockerAuthEntry> = {},
  extras: DockerConfigExtras = {},
): Promise<TempDockerConfig> {
  const dir = await makeTempDir('docker-config');
  const configPath = join(dir, 'config.json');
  const config = {
    ...extras,
    auths: Object.fromEntries(Object.entries(auths).map(([host, entry]) => [host, toEntry(entry)])),
  };
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  const handle: TempDockerConfig & { stop(): Promise<void> } = {
    dir,
    configPath,
    env: { DOCKER_CONFIG: dir },
    read: async () => JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>,
    async cleanup() {
      untrack(handle);
      await removeDir(dir);
    },
    stop: () => handle.cleanup(),
  };
  return track(handle);
}
