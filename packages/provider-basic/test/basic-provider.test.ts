import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PluginError, ProviderKeychain, loginFieldsFor, validateProviderOptions, type ProviderProfile } from '@nextdeploy/core';
import { basicProvider } from '../src/index.js';

type Env = Record<string, string | undefined>;
const authFor = async (keychain: ProviderKeychain, registry: string) => (await keychain.resolve({ registry })).authorization();
const chain = (env: Env, extra: { registryType?: string; profiles?: ProviderProfile[] } = {}) => new ProviderKeychain({ plugins: [basicProvider], env, ...extra });
const profile = (name: string, registry: string, raw: Record<string, unknown>, env: Env, file?: string): ProviderProfile => ({
  name,
  plugin: basicProvider,
  registry,
  options: validateProviderOptions(basicProvider.options, raw, { where: `profile "${name}"`, env, ...(file ? { file } : {}) }).values,
});

const dir = mkdtempSync(join(tmpdir(), 'nd-basic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('provider-basic from environment variables', () => {
  it('Docker Hub: DOCKERHUB_USERNAME/PASSWORD for every spelling of the hub host', async () => {
    const k = chain({ DOCKERHUB_USERNAME: 'hubuser', DOCKERHUB_PASSWORD: 'hubpass', GHCR_TOKEN: 'not-this' });
    for (const host of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) {
      expect(await authFor(k, host)).toEqual({ username: 'hubuser', password: 'hubpass' });
    }
  });

  it('GHCR: GHCR_USERNAME/GHCR_TOKEN', async () => {
    expect(await authFor(chain({ GHCR_USERNAME: 'octo', GHCR_TOKEN: 'ghp_x', DOCKERHUB_PASSWORD: 'no' }), 'ghcr.io')).toEqual({ username: 'octo', password: 'ghp_x' });
  });

  it('DigitalOcean: the API token is the password, and the username when none is given', async () => {
    expect(await authFor(chain({ DIGITALOCEAN_TOKEN: 'dop_v1_x' }), 'registry.digitalocean.com')).toEqual({ username: 'dop_v1_x', password: 'dop_v1_x' });
    expect(await authFor(chain({ DIGITALOCEAN_USERNAME: 'me', DIGITALOCEAN_TOKEN: 'dop_v1_x' }), 'registry.digitalocean.com')).toEqual({ username: 'me', password: 'dop_v1_x' });
  });

  it('falls back to USERNAME with PASSWORD, then TOKEN', async () => {
    expect(await authFor(chain({ USERNAME: 'u', PASSWORD: 'p', TOKEN: 't' }), 'ghcr.io')).toEqual({ username: 'u', password: 'p' });
    expect(await authFor(chain({ USERNAME: 'u', TOKEN: 't' }), 'docker.io')).toEqual({ username: 'u', password: 't' });
  });

  it('a generic registry is not auto-detected: fallbacks alone never leak to an unknown host', async () => {
    expect(await authFor(chain({ USERNAME: 'u', PASSWORD: 'p' }), '127.0.0.1:5000')).toEqual({});
    expect(await authFor(chain({ GHCR_TOKEN: 'ghp_x' }), 'ghcr.io')).toEqual({}); // a token without any username
  });

  it('REGISTRY_TYPE forces the kind, and so which variables are read, for any host', async () => {
    const env = { GHCR_USERNAME: 'octo', GHCR_TOKEN: 'ghp_x', DOCKERHUB_USERNAME: 'hub', DOCKERHUB_PASSWORD: 'hubpass', USERNAME: 'u', PASSWORD: 'p' };
    expect(await authFor(chain(env, { registryType: 'ghcr' }), '127.0.0.1:5000')).toEqual({ username: 'octo', password: 'ghp_x' });
    expect(await authFor(chain(env, { registryType: 'dockerhub' }), 'ghcr.io')).toEqual({ username: 'hub', password: 'hubpass' });
    expect(await authFor(chain(env, { registryType: 'generic' }), '127.0.0.1:5000')).toEqual({ username: 'u', password: 'p' });
    expect(() => chain(env, { registryType: 'google' })).toThrow('registry type "google" matches no loaded provider; known types: basic, dockerhub, ghcr, digitalocean, generic');
  });
});

describe('provider-basic profiles', () => {
  it('username + passwordEnv, and passwordFile relative to the config file', async () => {
    writeFileSync(join(dir, 'token.txt'), 'file-secret\n');
    const env = { CI_REGISTRY_PASSWORD: 'env-secret' };
    const k = chain(env, {
      profiles: [
        profile('ci', 'registry.example.test', { username: 'ci-bot', passwordEnv: 'CI_REGISTRY_PASSWORD' }, env),
        profile('file', 'files.example.test', { username: 'file-bot', passwordFile: 'token.txt' }, env, join(dir, '.nextdeployrc')),
      ],
    });
    expect(await authFor(k, 'registry.example.test')).toEqual({ username: 'ci-bot', password: 'env-secret' });
    expect(await authFor(k, 'files.example.test')).toEqual({ username: 'file-bot', password: 'file-secret' });
  });

  it('a profile pointing at a missing variable or file fails clearly, naming plugin and profile', async () => {
    const k = chain({}, {
      profiles: [
        profile('ci', 'a.test', { username: 'x', passwordEnv: 'MISSING_VAR' }, {}),
        profile('file', 'b.test', { username: 'x', passwordFile: join(dir, 'nope.txt') }, {}),
      ],
    });
    await expect(authFor(k, 'a.test')).rejects.toThrow(PluginError);
    await expect(authFor(k, 'a.test')).rejects.toThrow(
      'provider plugin "basic": profile "ci" failed for a.test: environment variable MISSING_VAR (passwordEnv) is not set; export MISSING_VAR or change passwordEnv',
    );
    await expect(authFor(k, 'b.test')).rejects.toThrow(`profile "file" failed for b.test: passwordFile ${join(dir, 'nope.txt')} cannot be read (ENOENT)`);
  });

  it('credHelper reads through docker-credential-<name> on PATH and logout erases there', async () => {
    const log = join(dir, 'helper.log');
    writeFileSync(
      join(dir, 'docker-credential-teamvault'),
      `#!/bin/sh\nread server\necho "$1 $server" >> "${log}"\nif [ "$1" = get ]; then echo '{"ServerURL":"'$server'","Username":"vault-user","Secret":"vault-pass"}'; fi\n`,
    );
    chmodSync(join(dir, 'docker-credential-teamvault'), 0o755);
    const env = { PATH: `${dir}:${process.env.PATH ?? ''}` };
    const k = chain(env, { profiles: [profile('vault', 'docker.io', { credHelper: 'teamvault' }, env)] });
    expect(await authFor(k, 'docker.io')).toEqual({ username: 'vault-user', password: 'vault-pass' });
    expect(await k.logout('docker.io')).toBe(true);
    expect(readFileSync(log, 'utf8')).toBe('get https://index.docker.io/v1/\nerase https://index.docker.io/v1/\n');
  });

  it('asks for the right fields per registry kind', () => {
    expect(loginFieldsFor(basicProvider, 'ghcr.io')).toEqual([
      { name: 'username', label: 'Username', env: ['GHCR_USERNAME', 'USERNAME'] },
      { name: 'password', label: 'Personal access token (read:packages, write:packages)', secret: true, env: ['GHCR_TOKEN', 'PASSWORD', 'TOKEN'] },
    ]);
    expect(loginFieldsFor(basicProvider, '127.0.0.1:5000')[1]?.env).toEqual(['PASSWORD', 'TOKEN']);
    expect(basicProvider.matches('registry.digitalocean.com')).toBe(true);
    expect(basicProvider.matches('quay.io')).toBe(false);
  });
});
