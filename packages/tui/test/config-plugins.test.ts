import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_API_VERSION, PluginError } from '@nextdeploy/core';
import { createConfiguredKeychain, loadNextdeployConfig, packageCandidates, type LoadedConfig } from '../src/config/index.js';

const root = mkdtempSync(join(tmpdir(), 'nd-config-plugins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A plugin module as a third party would publish it, without even importing core: a plain object. */
function providerSource(name: string, body = `async (ctx) => ({ username: '${name}-user', password: '${name}-pass-' + ctx.registry })`, apiVersion = PROVIDER_API_VERSION): string {
  return `export default {
  meta: { name: '${name}', version: '1.2.3' },
  apiVersion: ${apiVersion},
  displayName: '${name} registries',
  matches: (host) => host === '${name}.test',
  options: {},
  loginFields: [],
  resolve: ${body},
};
`;
}

/** A package whose `exports` has only an `import` condition: createRequire().resolve() cannot find it. */
function writePackage(name: string, provider: string): void {
  write(`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.2.3', type: 'module', exports: { '.': { import: './index.js' } } }));
  write(`node_modules/${name}/index.js`, providerSource(provider));
}

let loaded: LoadedConfig;
beforeAll(async () => {
  writePackage('nextdeploy-provider-foo', 'foo');
  writePackage('@acme/nextdeploy-provider-bar', 'bar');
  writePackage('@acme/nextdeploy-provider', 'acme');
  writePackage('plainname', 'plain');
  write('plugins/local.mjs', providerSource('local'));
  write('plugins/dir-plugin/package.json', JSON.stringify({ name: 'dir-plugin', type: 'module', exports: './lib/main.js' }));
  write('plugins/dir-plugin/lib/main.js', providerSource('dirp'));
  write('plugins/old-api.mjs', providerSource('oldie', undefined, 0));
  write('plugins/throws.mjs', providerSource('throws', `async () => { throw new Error('vault unreachable at https://vault.internal'); }`));
  write('plugins/malformed.mjs', providerSource('malformed', `async () => 'user:pass'`));
  write('plugins/broken-import.mjs', `throw new Error('missing peer dependency');\n`);
  write(
    'project/.nextdeployrc.yaml',
    `plugins:
  - foo
  - '@acme/bar'
  - '@acme'
  - plainname
  - ../plugins/local.mjs
  - ../plugins/dir-plugin
  - missing
  - ../plugins/old-api.mjs
  - ../plugins/throws.mjs
  - ../plugins/malformed.mjs
  - ../plugins/broken-import.mjs
  - ../plugins/local.mjs
profiles:
  thrower:
    provider: throws
    registry: shared.test
  fooprofile:
    provider: foo
    registry: other.test
`,
  );
  // node_modules sits above the config file, as in a monorepo: resolution walks up from the config file
  loaded = await loadNextdeployConfig({ cwd: join(root, 'project'), stopDir: root, env: {} });
});

describe('plugin loading', () => {
  it('shorthand names map to nextdeploy-provider-*, with the bare name as a fallback', () => {
    expect(packageCandidates('foo')).toEqual(['nextdeploy-provider-foo', 'foo']);
    expect(packageCandidates('@acme/bar')).toEqual(['@acme/nextdeploy-provider-bar', '@acme/bar']);
    expect(packageCandidates('@acme')).toEqual(['@acme/nextdeploy-provider']);
    expect(packageCandidates('nextdeploy-provider-foo')).toEqual(['nextdeploy-provider-foo']);
    expect(packageCandidates('@acme/nextdeploy-provider-bar')).toEqual(['@acme/nextdeploy-provider-bar']);
  });

  it('resolves packages and paths relative to the config file, built-ins first', () => {
    expect(loaded.plugins.map((p) => [p.plugin.meta.name, p.spec, p.builtin])).toEqual([
      ['basic', 'basic', true],
      ['foo', 'foo', false],
      ['bar', '@acme/bar', false],
      ['acme', '@acme', false],
      ['plain', 'plainname', false],
      ['local', '../plugins/local.mjs', false],
      ['dirp', '../plugins/dir-plugin', false],
      ['throws', '../plugins/throws.mjs', false],
      ['malformed', '../plugins/malformed.mjs', false],
    ]);
    expect(loaded.plugins.find((p) => p.plugin.meta.name === 'foo')?.from).toBe(join(root, 'node_modules/nextdeploy-provider-foo/index.js'));
    expect(loaded.plugins.find((p) => p.plugin.meta.name === 'dirp')?.from).toBe(join(root, 'plugins/dir-plugin/lib/main.js'));
  });

  it('collects load failures as one-line warnings instead of failing', () => {
    expect(loaded.warnings).toEqual([
      `provider plugin "missing": cannot find nextdeploy-provider-missing or missing from ${join(root, 'project')}; install it next to the config file (npm i nextdeploy-provider-missing) or fix the name`,
      `provider plugin "oldie": built for plugin API version 0 but this nextdeploy speaks version ${PROVIDER_API_VERSION}; upgrade the plugin or nextdeploy so they match`,
      `provider plugin "../plugins/broken-import.mjs": failed to load ${join(root, 'plugins/broken-import.mjs')}: missing peer dependency`,
      `provider plugin "local": already loaded from ${join(root, 'plugins/local.mjs')}; ignoring ${join(root, 'plugins/local.mjs')}`,
    ]);
  });

  it('a plugin that throws fails its own hosts with a PluginError; other profiles and plugins keep working', async () => {
    const { keychain } = createConfiguredKeychain(loaded, { env: {}, dockerConfigPath: join(root, 'no-docker-config.json') });
    const auth = (registry: string) => keychain.resolve({ registry }).then((a) => a.authorization());

    const err = await auth('shared.test').catch((e: unknown) => e as PluginError);
    expect(err).toBeInstanceOf(PluginError);
    expect((err as PluginError).plugin).toBe('throws');
    expect((err as Error).message).toBe('provider plugin "throws": profile "thrower" failed for shared.test: vault unreachable at https://vault.internal');
    await expect(auth('malformed.test')).rejects.toThrow('provider plugin "malformed": resolve() returned a string instead of credentials or undefined');

    expect(await auth('other.test')).toEqual({ username: 'foo-user', password: 'foo-pass-other.test' });
    expect(await auth('bar.test')).toEqual({ username: 'bar-user', password: 'bar-pass-bar.test' });
    expect(await auth('dirp.test')).toEqual({ username: 'dirp-user', password: 'dirp-pass-dirp.test' });
    expect(await auth('unclaimed.test')).toEqual({});
  });

  it('REGISTRY_TYPE forces a loaded plugin by name, for any host', async () => {
    const { keychain } = createConfiguredKeychain(loaded, { env: { REGISTRY_TYPE: 'bar' }, dockerConfigPath: join(root, 'none.json') });
    expect(await (await keychain.resolve({ registry: '127.0.0.1:5000' })).authorization()).toEqual({ username: 'bar-user', password: 'bar-pass-127.0.0.1:5000' });
    expect(() => createConfiguredKeychain(loaded, { registryType: 'azure', env: {} })).toThrow('registry type "azure" matches no loaded provider');
  });
});
