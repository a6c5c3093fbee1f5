import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nextdeploy/core';
import { getDefaultSearchPlaces, globalConfigSearchPlaces } from 'cosmiconfig';
import { SEARCH_PLACES, loadNextdeployConfig, searchConfig } from '../src/config/index.js';
import { GLOBAL_SEARCH_PLACES, META_SEARCH_PLACES } from '../src/config/search.js';

const root = mkdtempSync(join(tmpdir(), 'nd-config-loc-'));
const savedXdg = process.env.XDG_CONFIG_HOME;
beforeAll(() => {
  // the global directory is $XDG_CONFIG_HOME/nextdeploy: keep the real user's config out of the test
  process.env.XDG_CONFIG_HOME = join(root, 'xdg');
});
afterAll(() => {
  if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedXdg;
  rmSync(root, { recursive: true, force: true });
});

/** The same configuration written in the format each search place expects. */
function contents(place: string, registry: string): string {
  const config = { profiles: { here: { provider: 'basic', registry } } };
  if (place === 'package.json') return JSON.stringify({ name: 'some-app', private: true, nextdeploy: config });
  if (place.endsWith('.json')) return JSON.stringify(config);
  if (place.endsWith('.cjs') || place.endsWith('.js')) return `module.exports = ${JSON.stringify(config)};\n`;
  if (place.endsWith('.mjs')) return `export default ${JSON.stringify(config)};\n`;
  if (place.endsWith('.ts')) return `const config: { profiles: Record<string, { provider: string; registry: string }> } = ${JSON.stringify(config)};\nexport default config;\n`;
  return `# YAML\nprofiles:\n  here:\n    provider: basic\n    registry: ${registry}\n`;
}

function write(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('config search', () => {
  it('covers the documented places', () => {
    for (const place of ['package.json', '.nextdeployrc', '.nextdeployrc.json', '.nextdeployrc.yaml', '.nextdeployrc.yml', '.nextdeployrc.js', '.nextdeployrc.mjs', '.nextdeployrc.cjs', '.nextdeployrc.ts', 'nextdeploy.config.js', 'nextdeploy.config.mjs', 'nextdeploy.config.cjs', 'nextdeploy.config.ts']) {
      expect(SEARCH_PLACES).toContain(place);
    }
  });

  it('looks where cosmiconfig looks (the places are written out so that finding nothing need not load it)', () => {
    expect(SEARCH_PLACES).toEqual(getDefaultSearchPlaces('nextdeploy'));
    expect(GLOBAL_SEARCH_PLACES).toEqual(globalConfigSearchPlaces);
    // not exported by cosmiconfig's entry point: the options files it reads before every search
    const { metaSearchPlaces } = createRequire(import.meta.url)('cosmiconfig/dist/defaults.js') as { metaSearchPlaces: string[] };
    expect(META_SEARCH_PLACES).toEqual(metaSearchPlaces);
  });

  it('passes over a package.json without the nextdeploy key, and stops at a broken one', async () => {
    const project = join(root, 'with-package-json');
    const file = write(join(project, '.nextdeployrc.yml'), contents('.nextdeployrc.yml', 'pkg.example.test'));
    const app = join(project, 'app');
    write(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0' }));
    expect(await searchConfig({ cwd: app, stopDir: root })).toMatchObject({ file, scope: 'project' });

    write(join(app, 'package.json'), '{ "name": "app", }');
    const broken = await searchConfig({ cwd: app, stopDir: root }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(ConfigError);
    expect((broken as ConfigError).file).toBe(join(app, 'package.json'));
    expect((broken as ConfigError).message).toMatch(/:1: not valid JSON: .*; fix the file, or run from a directory outside that project$/);
  });

  it("honours cosmiconfig's own options in the working directory (extra search places)", async () => {
    const project = join(root, 'meta');
    write(join(project, '.config', 'config.json'), JSON.stringify({ cosmiconfig: { searchPlaces: ['deploy/{name}.yaml'] } }));
    const file = write(join(project, 'deploy', 'nextdeploy.yaml'), contents('x.yaml', 'meta.example.test'));
    const saved = process.cwd();
    process.chdir(project);
    try {
      expect(await searchConfig({ cwd: project, stopDir: root })).toMatchObject({ file, scope: 'project' });
    } finally {
      process.chdir(saved);
    }
    // the same directory searched from elsewhere: cosmiconfig reads its options from the working directory only
    expect(await searchConfig({ cwd: project, stopDir: root })).toBeUndefined();
  });

  it.each(SEARCH_PLACES.map((place, i) => [place, i] as const))('finds %s searching up from a subdirectory', async (place, i) => {
    const project = join(root, `project-${i}`);
    const registry = `loc-${i}.example.test`;
    const file = write(join(project, place), contents(place, registry));
    const loaded = await loadNextdeployConfig({ cwd: join(project, 'src', 'deep'), stopDir: root, env: {} });
    expect(loaded.file).toBe(file);
    expect(loaded.scope).toBe('project');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.profiles.map((p) => [p.name, p.registry, p.plugin.meta.name])).toEqual([['here', registry, 'basic']]);
  });

  it('falls back to the global config directory, and a project file wins over it', async () => {
    const globalFile = write(join(root, 'xdg', 'nextdeploy', 'config.yaml'), contents('config.yaml', 'global.example.test'));
    const bare = join(root, 'bare', 'dir');
    mkdirSync(bare, { recursive: true });
    const global = await loadNextdeployConfig({ cwd: bare, stopDir: root, env: {} });
    expect(global).toMatchObject({ file: globalFile, scope: 'global' });
    expect(global.profiles[0]?.registry).toBe('global.example.test');

    const projectFile = write(join(root, 'bare', '.nextdeployrc'), contents('.nextdeployrc', 'project.example.test'));
    expect(await searchConfig({ cwd: bare, stopDir: root })).toMatchObject({ file: projectFile, scope: 'project' });
    // the nearest directory wins over a parent
    const nearer = write(join(bare, '.nextdeployrc.json'), contents('.nextdeployrc.json', 'nearer.example.test'));
    expect((await searchConfig({ cwd: bare, stopDir: root }))?.file).toBe(nearer);
  });

  it('--config overrides the search, with paths relative to the working directory', async () => {
    const elsewhere = write(join(root, 'elsewhere', 'team-registries.yml'), contents('x.yml', 'explicit.example.test'));
    write(join(root, 'cwd-with-config', '.nextdeployrc'), contents('.nextdeployrc', 'ignored.example.test'));
    const loaded = await loadNextdeployConfig({ cwd: join(root, 'cwd-with-config'), configFile: '../elsewhere/team-registries.yml', stopDir: root, env: {} });
    expect(loaded).toMatchObject({ file: elsewhere, scope: 'explicit' });
    expect(loaded.profiles[0]?.registry).toBe('explicit.example.test');

    const missing = await loadNextdeployConfig({ cwd: root, configFile: 'nope.yaml', env: {} }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toBe(`${join(root, 'nope.yaml')}: config file not found; check the --config path`);
  });

  it('with no file anywhere there is no config, and the built-in basic provider is still there', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    rmSync(join(root, 'xdg'), { recursive: true, force: true });
    const loaded = await loadNextdeployConfig({ cwd: empty, stopDir: root, env: {} });
    expect(loaded.scope).toBe('none');
    expect(loaded.file).toBeUndefined();
    expect(loaded.plugins.map((p) => [p.plugin.meta.name, p.builtin])).toEqual([['basic', true]]);
  });
});
