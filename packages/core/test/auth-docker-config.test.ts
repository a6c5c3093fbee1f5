import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, stopAll, tempDockerConfig } from '@nextdeploy/testkit';
import { ConfigError } from '../src/errors/index.js';
import {
  DockerConfigFile,
  DockerConfigKeychain,
  dockerConfigPath,
  multiKeychain,
  staticAuthenticator,
  staticKeychain,
  type Keychain,
} from '../src/auth/index.js';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await makeTempDir('docker-config');
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
  await stopAll();
});

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const auth = (keychain: Keychain, registry: string) => keychain.resolve({ registry }).then((a) => a.authorization());

describe('DockerConfigKeychain', () => {
  it('reads every key spelling docker has written', async () => {
    const cfg = await tempDockerConfig({
      'https://index.docker.io/v1/': { username: 'hubuser', password: 'hubpass' },
      'http://legacy.example:5000': { auth: b64('old:timer') },
      'ghcr.io': { identitytoken: 'refresh-me' },
      'https://bare.example/v2/': { auth: b64('colon:pass:with:colons') },
    });
    const keychain = new DockerConfigKeychain({ env: cfg.env });
    expect(keychain.path).toBe(cfg.configPath);
    expect(await auth(keychain, 'docker.io')).toEqual({ username: 'hubuser', password: 'hubpass' });
    expect(await auth(keychain, 'legacy.example:5000')).toEqual({ username: 'old', password: 'timer' });
    expect(await auth(keychain, 'ghcr.io')).toEqual({ identityToken: 'refresh-me' });
    expect(await auth(keychain, 'bare.example')).toEqual({ username: 'colon', password: 'pass:with:colons' });
    expect(await auth(keychain, 'unknown.example')).toEqual({});
  });

  it('reads username/password/registrytoken fields and picks up a later login', async () => {
    const cfg = await tempDockerConfig({});
    const keychain = new DockerConfigKeychain({ path: cfg.configPath });
    expect(await auth(keychain, 'quay.io')).toEqual({});
    await writeFile(cfg.configPath, JSON.stringify({ auths: { 'quay.io': { username: 'u', password: 'p', registrytoken: 'rt' } } }));
    expect(await auth(keychain, 'quay.io')).toEqual({ username: 'u', password: 'p', registryToken: 'rt' });
  });

  it('treats a missing file as empty and a malformed one as a ConfigError naming it', async () => {
    const dir = await tempDir();
    expect(await auth(new DockerConfigKeychain({ env: { DOCKER_CONFIG: dir } }), 'docker.io')).toEqual({});
    const path = join(dir, 'config.json');
    await writeFile(path, '{"auths": {');
    const err = await new DockerConfigKeychain({ path }).resolve({ registry: 'docker.io' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(new RegExp(`^${path}: not valid JSON .*; fix the file or move it away$`));
  });

  it('defaults to ~/.docker/config.json without DOCKER_CONFIG', () => {
    expect(dockerConfigPath({})).toMatch(/\.docker\/config\.json$/);
  });
});

describe('DockerConfigFile', () => {
  it('saves atomically with 0600, keeping every field it does not model', async () => {
    const cfg = await tempDockerConfig(
      { 'https://index.docker.io/v1/': { username: 'old', password: 'old' }, 'keep.example': { auth: b64('k:v') } },
      { credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' }, proxies: { default: { httpProxy: 'http://p:3128' } } },
    );
    const file = await DockerConfigFile.load(cfg.configPath);
    expect(file.credsStore).toBe('desktop');
    expect(file.credHelpers).toEqual({ 'gcr.io': 'gcloud' });
    file.setAuth('docker.io', { username: 'alice', password: 'pw' });
    file.setAuth('127.0.0.1:5000', { identityToken: 'idt' });
    await file.save();

    const written = await cfg.read();
    expect(written).toEqual({
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud' },
      proxies: { default: { httpProxy: 'http://p:3128' } },
      auths: {
        'https://index.docker.io/v1/': { auth: b64('alice:pw') },
        'keep.example': { auth: b64('k:v') },
        '127.0.0.1:5000': { identitytoken: 'idt' },
      },
    });
    expect((await stat(cfg.configPath)).mode & 0o777).toBe(0o600);
    expect((await readdir(cfg.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const reloaded = await DockerConfigFile.load(cfg.configPath);
    expect(reloaded.getAuth('index.docker.io')).toEqual({ username: 'alice', password: 'pw' });
    expect(reloaded.registries).toEqual(['127.0.0.1:5000', 'docker.io', 'keep.example']);
  });

  it('replaces an entry stored under another spelling and removes all spellings on logout', async () => {
    const cfg = await tempDockerConfig({ 'http://reg.example:5000/v1/': { auth: b64('a:b') } });
    const file = await DockerConfigFile.load(cfg.configPath);
    file.setAuth('reg.example:5000', { username: 'c', password: 'd' });
    expect(Object.keys((file.toJSON().auths as object) ?? {})).toEqual(['reg.example:5000']);
    expect(file.removeAuth('reg.example:5000')).toBe(true);
    expect(file.removeAuth('reg.example:5000')).toBe(false);
    expect(file.getAuth('reg.example:5000')).toBeUndefined();
  });

  it('creates a missing directory with 0700 on save', async () => {
    const root = await tempDir();
    const path = join(root, 'nested', 'config.json');
    const file = await DockerConfigFile.load(path);
    expect(file.registries).toEqual([]);
    file.setAuth('ghcr.io', { username: 'u', password: 'p' });
    await file.save();
    expect((await stat(join(root, 'nested'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ auths: { 'ghcr.io': { auth: b64('u:p') } } });
  });

  it('rejects an auth field that is not base64 user:password, naming the file', async () => {
    const cfg = await tempDockerConfig({ 'ghcr.io': { auth: b64('no-colon-here') } });
    const file = await DockerConfigFile.load(cfg.configPath);
    expect(() => file.getAuth('ghcr.io')).toThrow(ConfigError);
    expect(() => file.getAuth('ghcr.io')).toThrow(`${cfg.configPath}: auths["ghcr.io"].auth is not base64 of user:password; log in to ghcr.io again`);
  });
});

describe('static and multi keychains', () => {
  it('maps hosts however they are spelled', async () => {
    const keychain = staticKeychain({ 'https://index.docker.io/v1/': { username: 'hub', password: 'x' }, 'ghcr.io': { registryToken: 't' } });
    expect(await auth(keychain, 'docker.io')).toEqual({ username: 'hub', password: 'x' });
    expect(await auth(keychain, 'ghcr.io')).toEqual({ registryToken: 't' });
    expect(await auth(keychain, 'quay.io')).toEqual({});
  });

  it('takes the first keychain with an opinion and stops asking the rest', async () => {
    let asked = 0;
    const counting: Keychain = {
      resolve: async () => {
        asked++;
        return staticAuthenticator({ username: 'second', password: 'p2' });
      },
    };
    const chain = multiKeychain(staticKeychain({ 'other.example': { username: 'x', password: 'y' } }), counting, staticKeychain({ 'ghcr.io': { username: 'third', password: 'p3' } }));
    const authenticator = await chain.resolve({ registry: 'ghcr.io' });
    expect(await authenticator.authorization()).toEqual({ username: 'second', password: 'p2' });
    expect(await authenticator.authorization()).toEqual({ username: 'second', password: 'p2' });
    expect(asked).toBe(1);
    expect(await auth(multiKeychain(), 'ghcr.io')).toEqual({});
  });
});
