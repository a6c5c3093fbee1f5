import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError, createRegistryClient, type Descriptor } from '@nextdeploy/core';
import { pushRandomImage, startRegistry, type PushedImage, type TestRegistry } from '@nextdeploy/testkit';
import { createConfiguredKeychain, loadNextdeployConfig, type LoadedConfig } from '../src/config/index.js';
import { makeHome, runCli } from './cli-harness.js';

const exampleDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/nextdeploy-provider-example');
const scratch = mkdtempSync(join(tmpdir(), 'nd-example-plugin-'));
const vaultFile = join(scratch, 'vault.json');
const env = { EXAMPLE_VAULT_FILE: vaultFile };

let registry: TestRegistry;
let pushed: PushedImage;
let loaded: LoadedConfig;

beforeAll(async () => {
  // turbo builds the example before tui's tests (it is a devDependency); say so if run by hand without it
  expect(existsSync(join(exampleDir, 'dist/index.js')), 'run `pnpm --filter nextdeploy-provider-example build` first').toBe(true);
  registry = await startRegistry({ auth: 'htpasswd' });
  pushed = await pushRandomImage(registry, 'team/app:v1', { layers: 2 });
  writeFileSync(vaultFile, JSON.stringify({ [registry.host]: { username: 'alice', password: registry.users.alice } }));
  // exactly what a user running the CLI inside examples/nextdeploy-provider-example gets
  loaded = await loadNextdeployConfig({ cwd: exampleDir, stopDir: exampleDir, env });
});
afterAll(async () => {
  await registry?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the example third-party plugin, loaded from the .nextdeployrc next to it', () => {
  it('is found, resolved through its package.json exports, and defines the vault profile', () => {
    expect(loaded.file).toBe(join(exampleDir, '.nextdeployrc'));
    expect(loaded.warnings).toEqual([]);
    expect(loaded.problems).toEqual([]);
    const example = loaded.plugins.find((p) => p.plugin.meta.name === 'example');
    expect(example).toMatchObject({ spec: '.', builtin: false, from: join(exampleDir, 'dist/index.js') });
    expect(loaded.profiles.find((p) => p.name === 'vault')?.options).toEqual({ vaultFile, ttlSeconds: 300 });
  });

  it('logs in to the htpasswd registry, reads the image and copies it to another repository', async () => {
    const { keychain } = createConfiguredKeychain(loaded, { profile: 'vault', env, dockerConfigPath: join(scratch, 'no-docker-config.json') });
    const client = createRegistryClient(registry.host, { keychain });
    await client.ping();

    const repos: string[] = [];
    for await (const repo of client.catalog()) repos.push(repo);
    expect(repos).toContain('team/app');

    const source = await client.getManifest('team/app', 'v1');
    expect(source.digest).toBe(pushed.digest);

    // push needs the same credentials with a push scope: blobs first, then the manifest
    const manifest = source.manifest as { config: Descriptor; layers: Descriptor[] };
    for (const blob of [manifest.config, ...manifest.layers]) {
      const chunks: Buffer[] = [];
      for await (const chunk of await client.getBlob('team/app', blob.digest)) chunks.push(chunk as Buffer);
      await client.uploadBlob('team/app-copy', { digest: blob.digest, size: blob.size }, Buffer.concat(chunks));
    }
    expect(await client.putManifest('team/app-copy', 'v1', source.bytes, source.mediaType)).toBe(pushed.digest);
    expect((await client.getManifest('team/app-copy', 'v1')).digest).toBe(pushed.digest);
  });

  it('drives the built CLI: `copy` authenticates both ends through the plugin', async () => {
    const home = await makeHome();
    try {
      const config = join(exampleDir, '.nextdeployrc');
      const r = await runCli(
        ['--config', config, '--profile', 'vault', 'copy', `docker://${registry.host}/team/app:v1`, `docker://${registry.host}/team/app-cli:v1`, '--json'],
        { home: home.dir, env },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout) as { digest: string; blobs: { mounted: number; total: number } };
      expect(summary.digest).toBe(pushed.digest);
      // same registry, another repository: every blob is mounted, none re-uploaded
      expect(summary.blobs.mounted).toBe(summary.blobs.total);
      const anonymous = await runCli(['copy', `docker://${registry.host}/team/app:v1`, `docker://${registry.host}/team/app-anon:v1`], { home: home.dir });
      expect(anonymous.code).toBe(3);
    } finally {
      await home.remove();
    }
  });

  it('without the profile the same registry refuses us', async () => {
    const { keychain } = createConfiguredKeychain(loaded, { env: {}, dockerConfigPath: join(scratch, 'no-docker-config.json') });
    const err = await createRegistryClient(registry.host, { keychain }).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as RegistryError).message).toMatch(/401|unauthori[sz]ed/i);
    expect((err as Error).message).not.toContain(registry.users.alice!);
  });
});
