import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@nextdeploy/core';
import { cosmiconfig, defaultLoaders, getDefaultSearchPlaces, type Loader } from 'cosmiconfig';
import { jsonErrorLine, scriptErrorLine, syntaxErrorLine, yamlErrorLine } from './positions.js';

export const MODULE_NAME = 'nextdeploy';

/**
 * Every place searched in each directory from the current one upwards, in order: package.json's
 * `nextdeploy` key, `.nextdeployrc` (YAML or JSON), `.nextdeployrc.{json,yaml,yml,js,ts,cjs,mjs}`,
 * the same under `.config/`, and `nextdeploy.config.{js,ts,cjs,mjs}`.
 */
export const SEARCH_PLACES: readonly string[] = getDefaultSearchPlaces(MODULE_NAME);

export interface FoundConfig {
  /** Absolute path of the file the configuration came from. */
  file: string;
  /** `explicit` = `--config`; `global` = the user's config directory. */
  scope: 'explicit' | 'project' | 'global';
  /** Parsed contents, not yet validated. */
  raw: unknown;
}

export interface SearchOptions {
  cwd?: string;
  /** `--config FILE`: load this file and search nowhere else. */
  configFile?: string;
  /** Last directory searched before the global one (default: the home directory). */
  stopDir?: string;
}

/**
 * The user's global config directory: `$XDG_CONFIG_HOME/nextdeploy`, else `~/.config/nextdeploy`.
 * Computed as cosmiconfig's env-paths does on Linux, from `process.env`, since that is what it reads.
 */
export function globalConfigDir(): string {
  return resolvePath(process.env.XDG_CONFIG_HOME || resolvePath(homedir(), '.config'), MODULE_NAME);
}

/**
 * Finds the configuration: `--config FILE` if given, else the first file up from `cwd`, else the
 * global directory. A file that cannot be parsed is a `ConfigError` with its path and line.
 */
export async function searchConfig(options: SearchOptions = {}): Promise<FoundConfig | undefined> {
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: [...SEARCH_PLACES],
    searchStrategy: 'global',
    cache: false,
    loaders: positionedLoaders,
    ...(options.stopDir ? { stopDir: options.stopDir } : {}),
  });
  if (options.configFile) {
    const file = resolvePath(options.cwd ?? process.cwd(), options.configFile);
    const result = await explorer.load(file).catch((err: unknown) => rethrow(err, file));
    return { file, scope: 'explicit', raw: result?.config ?? {} };
  }
  const result = await explorer.search(options.cwd ?? process.cwd()).catch((err: unknown) => rethrow(err, undefined));
  if (!result) return undefined;
  const isGlobal = dirname(result.filepath) === globalConfigDir();
  return { file: result.filepath, scope: isGlobal ? 'global' : 'project', raw: result.config };
}

function rethrow(err: unknown, file: string | undefined): never {
  if (err instanceof ConfigError) throw err;
  const e = err as NodeJS.ErrnoException & { filepath?: string };
  const where = e.filepath ?? file;
  if (e.code === 'ENOENT' && where) throw new ConfigError('config file not found', { file: where, hint: 'check the --config path' });
  throw new ConfigError(`cannot load config: ${firstLine(e.message ?? String(err))}`, { ...(where ? { file: where } : {}), cause: err });
}

/** cosmiconfig's loaders, wrapped so every parse failure carries the file and line. */
const positionedLoaders: Record<string, Loader> = {
  '.json': (file, text) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw parseError(file, 'not valid JSON', (err as Error).message, jsonErrorLine(text, (err as Error).message), err);
    }
  },
  '.yaml': yamlLoader,
  '.yml': yamlLoader,
  // `.nextdeployrc` without extension: YAML, which also reads JSON
  noExt: yamlLoader,
  '.js': scriptLoader(importDefault, true),
  '.mjs': scriptLoader(importDefault, true),
  '.cjs': scriptLoader(importDefault, true),
  // a .ts config runs as a transpiled temp file, so `node --check` on the source would not help
  '.ts': scriptLoader(defaultLoaders['.ts'], false, 'TypeScript configs need the "typescript" package installed next to nextdeploy-tui'),
};

/**
 * `import()` alone: cosmiconfig's JS loader retries a failed import with require(), which on Node 20
 * replaces an ES module's real syntax error with an internal "not yet fully loaded" assertion.
 */
async function importDefault(file: string): Promise<unknown> {
  const mod = (await import(pathToFileURL(await realpath(file)).href)) as { default?: unknown };
  return mod.default;
}

async function yamlLoader(file: string, text: string): Promise<unknown> {
  try {
    return await defaultLoaders.noExt(file, text);
  } catch (err) {
    const reason = (err as { reason?: string }).reason ?? (err as Error).message;
    throw parseError(file, 'not valid YAML', reason, yamlErrorLine(err), err);
  }
}

function scriptLoader(load: Loader, checkable: boolean, hint?: string): Loader {
  return async (file, text) => {
    try {
      return await load(file, text);
    } catch (err) {
      const missingTs = hint && /Cannot find (package|module) 'typescript'/.test((err as Error).message);
      throw parseError(file, 'failed to load', (err as Error).message.replace(/^(TypeScript|JS) Error in [^\n]*\n/, ''), scriptErrorLine(err, file) ?? (checkable ? syntaxErrorLine(err, file) : undefined), err, missingTs ? hint : undefined);
    }
  };
}

function parseError(file: string, what: string, detail: string, line: number | undefined, cause: unknown, hint?: string): ConfigError {
  return new ConfigError(`${what}: ${firstLine(detail)}`, { file, ...(line ? { line } : {}), cause, hint: hint ?? 'fix the file, or point --config at another one' });
}

function firstLine(s: string): string {
  const line = s.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
