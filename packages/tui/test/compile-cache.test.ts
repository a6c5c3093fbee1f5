import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_API_VERSION } from '@nextdeploy/core';
// @ts-expect-error: a build script without type declarations
import { COMPILE_CACHE_MARKER as BUILD_MARKER } from '../../../scripts/build/dual-package.mjs';
import { Command } from 'commander';
import { addGlobalOptions } from '../src/program/globals.js';
import { COMPILE_CACHE_ENV, COMPILE_CACHE_MARKER, GLOBAL_VALUE_FLAGS, commandFlavour, compileCacheDir } from '../src/startup/compile-cache.js';
import { makeHome, runCli } from './cli-harness.js';

const packages = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLES = ['tui/dist/main.cjs', 'core/dist/index.cjs', 'provider-basic/dist/index.cjs'];

let home: Awaited<ReturnType<typeof makeHome>>;
beforeAll(async () => {
  home = await makeHome();
});
afterAll(async () => {
  await home.remove();
});

/** A fresh private cache directory per test, so one test's caches never decide another's. */
function cacheDir(name: string): string {
  const dir = join(home.dir, 'caches', name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

function cacheFiles(dir: string): Map<string, number> {
  return new Map(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]));
}

const run = (args: string[], env: Record<string, string>, cwd?: string) => runCli(args, { home: home.dir, env, ...(cwd ? { cwd } : {}) });

describe('which files are cached', () => {
  it('uses one marker in the build and at run time, and every bundle of ours starts with it', () => {
    expect(BUILD_MARKER).toBe(COMPILE_CACHE_MARKER);
    for (const bundle of BUNDLES) {
      expect(readFileSync(join(packages, bundle), 'utf8').startsWith(COMPILE_CACHE_MARKER), bundle).toBe(true);
    }
  });

  it('keeps one cache per command, since each holds the functions its own run compiled', () => {
    expect(commandFlavour(['node', 'cli', 'copy', 'a', 'b'])).toBe('copy');
    expect(commandFlavour(['node', 'cli', '--debug', 'tags', 'x'])).toBe('tags');
    expect(commandFlavour(['node', 'cli', '--version'])).toBe('flags');
    expect(commandFlavour(['node', 'cli'])).toBe('ui');
    expect(commandFlavour(['node', 'cli', '../../etc'])).toBe('other');
    expect(commandFlavour(['node', 'cli', '--profile', 'prod', '-r', 'ghcr', '--insecure', 'copy', 'a', 'b'])).toBe('copy');
  });

  it('knows every global flag that takes a value, so a flag value is never taken for the command', () => {
    const program = new Command();
    addGlobalOptions(program);
    const withValue = program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
    expect(new Set(withValue)).toEqual(GLOBAL_VALUE_FLAGS);
  });

  it('lives under XDG_CACHE_HOME or ~/.cache unless the variable moves it or switches it off', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/nextdeploy-tui/v8');
    expect(compileCacheDir({ [COMPILE_CACHE_ENV]: '/elsewhere' })).toBe('/elsewhere');
    expect(compileCacheDir({ [COMPILE_CACHE_ENV]: '0' })).toBeUndefined();
    expect(compileCacheDir({ [COMPILE_CACHE_ENV]: 'off' })).toBeUndefined();
  });
});

describe('the compile cache, through the real binary', () => {
  it('is written by the first run and taken as is by the next', async () => {
    const dir = cacheDir('reuse');
    const env = { [COMPILE_CACHE_ENV]: dir };
    const first = await run(['--version'], env);
    expect(first.code).toBe(0);
    const written = cacheFiles(dir);
    // main.cjs at least; `--version` loads neither core nor a provider
    expect(written.size).toBeGreaterThanOrEqual(1);
    for (const name of written.keys()) expect(name).toMatch(/^[0-9a-f]{16}\.flags\.[0-9a-f]{16}\.bin$/);
    for (const name of written.keys()) expect(statSync(join(dir, name)).mode & 0o077).toBe(0);

    const second = await run(['--version'], env);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe('');
    // V8 accepted every cache: a refused one is written again
    expect(cacheFiles(dir)).toEqual(written);
  });

  it('runs plugins, which it loads with import(), from cached code', async () => {
    const dir = cacheDir('plugins');
    const project = join(home.dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, '.nextdeployrc.json'), JSON.stringify({ plugins: ['./cached-plugin.mjs'] }));
    writeFileSync(
      join(project, 'cached-plugin.mjs'),
      `export default { meta: { name: 'cachedp', version: '1.0.0' }, apiVersion: ${PROVIDER_API_VERSION}, displayName: 'cached',
  matches: (host) => host === 'cached.test', options: {}, loginFields: [], resolve: async () => undefined };\n`,
    );
    const env = { [COMPILE_CACHE_ENV]: dir };
    const runs = [await run(['plugins', '--json'], env, project), await run(['plugins', '--json'], env, project)];
    for (const result of runs) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const names = (JSON.parse(result.stdout) as { plugins: { name: string }[] }).plugins.map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['basic', 'cachedp']));
    }
    // the second run took main.cjs, core and provider-basic from the cache
    expect([...cacheFiles(dir).keys()].filter((n) => n.includes('.plugins.'))).toHaveLength(3);
  });

  it('replaces a damaged cache file and still runs', async () => {
    const dir = cacheDir('damaged');
    const env = { [COMPILE_CACHE_ENV]: dir };
    expect((await run(['--version'], env)).code).toBe(0);
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), 'not a V8 code cache');
    const result = await run(['--version'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name), 'utf8')).not.toBe('not a V8 code cache');
  });

  it('is not used in a directory others may write to, or when switched off', async () => {
    const shared = cacheDir('shared');
    chmodSync(shared, 0o777);
    const open = await run(['--version'], { [COMPILE_CACHE_ENV]: shared });
    expect(open.code).toBe(0);
    expect(readdirSync(shared)).toEqual([]);

    const xdg = join(home.dir, 'xdg');
    const off = await run(['--version'], { [COMPILE_CACHE_ENV]: '0', XDG_CACHE_HOME: xdg });
    expect(off.code).toBe(0);
    expect(() => readdirSync(xdg)).toThrow();
  });
});
