import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginError, assertProvider, type ProviderPlugin } from '@nextdeploy/core';
import { BUILTIN_PROVIDERS, isPathSpecifier, packageCandidates } from './plugin-specifiers.js';
import { cliHost, importModule } from '../startup/host.js';

export interface LoadedPlugin {
  plugin: ProviderPlugin;
  /** What asked for it: the `plugins:` entry, or the built-in name. */
  spec: string;
  /** The file the module was loaded from. */
  from: string;
  builtin: boolean;
}

/** A plugin that could not be loaded; reported, never fatal, so one bad plugin cannot lock users out. */
export interface PluginLoadWarning {
  spec: string;
  message: string;
}

export interface LoadPluginsResult {
  plugins: LoadedPlugin[];
  /** Plugins that could not be loaded at all. */
  failures: PluginLoadWarning[];
  /** Loaded, but ignored: a second provider with a name already taken. */
  warnings: PluginLoadWarning[];
}

/**
 * Loads the built-in providers that are installed, then every `plugins:` entry resolved relative
 * to the config file. The first provider with a given `meta.name` wins; later ones are reported.
 */
export async function loadPlugins(specs: readonly string[], configFile: string | undefined): Promise<LoadPluginsResult> {
  const result: LoadPluginsResult = { plugins: [], failures: [], warnings: [] };
  const add = (loaded: LoadedPlugin[]) => {
    for (const entry of loaded) {
      const clash = result.plugins.find((p) => p.plugin.meta.name === entry.plugin.meta.name);
      if (clash) {
        result.warnings.push({ spec: entry.spec, message: new PluginError(entry.plugin.meta.name, `already loaded from ${clash.from}; ignoring ${entry.from}`).message });
      } else result.plugins.push(entry);
    }
  };

  for (const [name, pkg] of Object.entries(BUILTIN_PROVIDERS)) {
    const found = await locateBuiltin(pkg);
    // not installed: offered only once its package is added; profiles naming it say so
    if (found === undefined) continue;
    await loadProviders(found, name).then(
      (plugins) => add(plugins.map((plugin) => ({ plugin, spec: name, from: found.file, builtin: true }))),
      (err: unknown) => result.failures.push({ spec: name, message: messageOf(err, name) }),
    );
  }

  for (const spec of specs) {
    if (Object.hasOwn(BUILTIN_PROVIDERS, spec)) continue;
    try {
      if (!configFile) throw new PluginError(spec, 'plugins are only loaded from a config file');
      const url = await resolvePlugin(spec, configFile);
      const file = fileURLToPath(url);
      const plugins = await loadProviders({ file, load: () => importModule(url) }, spec);
      add(plugins.map((plugin) => ({ plugin, spec, from: file, builtin: false })));
    } catch (err) {
      result.failures.push({ spec, message: messageOf(err, spec) });
    }
  }
  return result;
}

/** A plugin module found on disk, not loaded yet. */
interface PluginModule {
  file: string;
  load: () => Promise<Record<string, unknown>>;
}

/**
 * Where a built-in provider's package is installed next to the CLI, or undefined when it is not.
 * The bundled CLI requires it (see CliHost.require). Unbundled, Node's own `import.meta.resolve`
 * (20.6+) answers the same as import-meta-resolve for a package resolved from here, without
 * loading that module (~10 ms of every run, which always resolves the built-ins); it returns a URL
 * even for a package whose entry file is missing, which counts as not installed, as before.
 */
async function locateBuiltin(pkg: string): Promise<PluginModule | undefined> {
  try {
    const { require } = cliHost();
    if (require) {
      const file = require.resolve(pkg);
      return { file, load: async () => require(file) as Record<string, unknown> };
    }
    const native: unknown = typeof import.meta.resolve === 'function' ? import.meta.resolve(pkg) : undefined;
    const url = typeof native === 'string' ? native : (await import('import-meta-resolve')).resolve(pkg, import.meta.url);
    const file = fileURLToPath(url);
    return statSync(file, { throwIfNoEntry: false })?.isFile() ? { file, load: () => importModule(url) } : undefined;
  } catch {
    return undefined;
  }
}

/** The module URL a `plugins:` entry names, resolved the way Node would from the config file. */
export async function resolvePlugin(spec: string, configFile: string): Promise<string> {
  // resolving from another file's location needs a flag on Node 20's import.meta.resolve
  const { resolve: resolveModule } = await import('import-meta-resolve');
  const parent = pathToFileURL(configFile).href;
  if (isPathSpecifier(spec)) {
    const path = spec.startsWith('file:') ? fileURLToPath(spec) : resolvePath(dirname(configFile), spec);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new PluginError(spec, `${path} does not exist`, { hint: 'paths in "plugins" are relative to the config file' });
    return info.isDirectory() ? resolvePackageDir(spec, path) : pathToFileURL(path).href;
  }
  const candidates = packageCandidates(spec);
  for (const candidate of candidates) {
    try {
      return resolveModule(candidate, parent);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // only "not there" moves on to the next candidate; a broken package is worth reporting
      if (code !== 'ERR_MODULE_NOT_FOUND') throw new PluginError(spec, `cannot resolve ${candidate}: ${firstLine(err)}`, { cause: err });
    }
  }
  throw new PluginError(spec, `cannot find ${candidates.join(' or ')} from ${dirname(configFile)}`, {
    hint: `install it next to the config file (npm i ${candidates[0]}) or fix the name`,
  });
}

/** A plugin directory is a package: resolve it by its own name so its `exports`/`main` decide the entry. */
async function resolvePackageDir(spec: string, dir: string): Promise<string> {
  const manifest = join(dir, 'package.json');
  let name: unknown;
  try {
    name = (JSON.parse(await readFile(manifest, 'utf8')) as { name?: unknown }).name;
  } catch (err) {
    throw new PluginError(spec, `${dir} is a directory without a readable package.json`, { hint: 'point at the plugin\'s entry file instead', cause: err });
  }
  if (typeof name !== 'string') throw new PluginError(spec, `${manifest} has no "name"`);
  const { resolve: resolveModule } = await import('import-meta-resolve');
  try {
    return resolveModule(name, pathToFileURL(manifest).href);
  } catch (err) {
    throw new PluginError(spec, `cannot resolve the entry point of ${dir}: ${firstLine(err)}`, { hint: 'build the plugin, or check "exports" in its package.json', cause: err });
  }
}

/** A plugin module exports one provider as default (or `provider`), or a list of them. */
async function loadProviders(module: PluginModule, spec: string): Promise<ProviderPlugin[]> {
  let mod: Record<string, unknown>;
  try {
    mod = await module.load();
  } catch (err) {
    throw new PluginError(spec, `failed to load ${module.file}: ${firstLine(err)}`, { cause: err });
  }
  const exported = mod.default ?? mod.provider ?? mod.providers;
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0) throw new PluginError(spec, 'exports an empty list of providers');
  return list.map((value) => assertProvider(value, spec));
}

function messageOf(err: unknown, spec: string): string {
  return err instanceof PluginError ? err.message : new PluginError(spec, firstLine(err)).message;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.trim().split('\n')[0] ?? '';
}
