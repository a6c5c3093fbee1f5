import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';

export const MODULE_NAME = 'nextdeploy';

const DATA_EXTENSIONS = ['.json', '.yaml', '.yml'];
const SCRIPT_EXTENSIONS = ['.js', '.ts', '.cjs', '.mjs'];

/**
 * Every place searched in each directory from the current one upwards, in order: package.json's
 * `nextdeploy` key, `.nextdeployrc` (YAML or JSON), `.nextdeployrc.{json,yaml,yml,js,ts,cjs,mjs}`,
 * the same under `.config/`, and `nextdeploy.config.{js,ts,cjs,mjs}`. This is cosmiconfig's
 * `getDefaultSearchPlaces(MODULE_NAME)` written out (a test keeps them equal), so that looking
 * for a file that is not there does not have to load cosmiconfig.
 */
export const SEARCH_PLACES: readonly string[] = [
  'package.json',
  ...withExtensions(`.${MODULE_NAME}rc`, ['', ...DATA_EXTENSIONS, ...SCRIPT_EXTENSIONS]),
  ...withExtensions(`.config/${MODULE_NAME}rc`, ['', ...DATA_EXTENSIONS, ...SCRIPT_EXTENSIONS]),
  ...withExtensions(`${MODULE_NAME}.config`, SCRIPT_EXTENSIONS),
];

/** cosmiconfig's `globalConfigSearchPlaces`: what it looks for in the global directory. */
export const GLOBAL_SEARCH_PLACES: readonly string[] = withExtensions('config', ['', ...DATA_EXTENSIONS, ...SCRIPT_EXTENSIONS]);

/**
 * cosmiconfig's `metaSearchPlaces`: before any search it reads its own options (the `cosmiconfig`
 * key, which may add search places) from these files in the process's working directory.
 */
export const META_SEARCH_PLACES: readonly string[] = ['package.json', 'package.yaml', ...withExtensions('.config/config', [...DATA_EXTENSIONS, ...SCRIPT_EXTENSIONS])];

function withExtensions(base: string, extensions: readonly string[]): string[] {
  return extensions.map((ext) => `${base}${ext}`);
}

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
  if (!options.configFile && nothingToFind(options.cwd ?? process.cwd(), options.stopDir)) return undefined;
  const { createExplorer } = await import('./cosmiconfig-explorer.js');
  const explorer = createExplorer(MODULE_NAME, SEARCH_PLACES, options.stopDir);
  if (options.configFile) {
    const file = resolvePath(options.cwd ?? process.cwd(), options.configFile);
    const result = await explorer.load(file);
    return { file, scope: 'explicit', raw: result?.config ?? {} };
  }
  const result = await explorer.search(options.cwd ?? process.cwd());
  if (!result) return undefined;
  const isGlobal = dirname(result.filepath) === globalConfigDir();
  return { file: result.filepath, scope: isGlobal ? 'global' : 'project', raw: result.config };
}

/**
 * True only when cosmiconfig would certainly find nothing: no file at any place it would look
 * (its own option files in the working directory, every search place from `from` up to the stop
 * directory, the global directory), package.json files without the key it reads aside. Anything
 * else (a file there, an error, a platform where env-paths puts the global directory elsewhere)
 * leaves the search to cosmiconfig, so what is found and every error stay its own. Without a
 * config file, which is the usual run, this spares loading cosmiconfig and its YAML parser
 * (~20 ms of a ~200 ms `copy`) for a directory listing or two per directory.
 */
function nothingToFind(from: string, stopDir: string | undefined): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return false;
  try {
    const names = directoryNames();
    if (anyConfigIn(process.cwd(), PLACES.meta, 'cosmiconfig', names)) return false;
    for (const dir of searchedDirs(resolvePath(from), resolvePath(stopDir || homedir()))) {
      if (anyConfigIn(dir, PLACES.search, MODULE_NAME, names)) return false;
    }
    return !anyConfigIn(globalConfigDir(), PLACES.global, MODULE_NAME, names);
  } catch {
    return false;
  }
}

/** A search place as `nothingToFind` looks for it: its directory ('' or `.config`) and its lower-cased name. */
type Place = readonly [dir: string, name: string];

const toPlaces = (places: readonly string[]): Place[] =>
  places.map((place) => [place.includes('/') ? dirname(place) : '', basename(place).toLowerCase()]);
const PLACES = { meta: toPlaces(META_SEARCH_PLACES), search: toPlaces(SEARCH_PLACES), global: toPlaces(GLOBAL_SEARCH_PLACES) };

/** cosmiconfig's "global" search strategy: `start`, then each parent up to `stopDir` or the root. */
function* searchedDirs(start: string, stopDir: string): Generator<string> {
  yield start;
  for (let dir = start; dir !== stopDir; ) {
    const parent = dirname(dir);
    if (parent === dir) return;
    yield parent;
    dir = parent;
  }
}

type DirectoryNames = (dir: string) => Set<string> | undefined;

/** Throws where cosmiconfig would throw (and so gets the search back), else whether `dir` may hold a config. */
function anyConfigIn(dir: string, places: readonly Place[], packageKey: string, namesIn: DirectoryNames): boolean {
  const top = namesIn(dir);
  // cosmiconfig passes over a directory that is not there
  if (!top) return false;
  for (const [sub, name] of places) {
    const names = sub === '' ? top : top.has(sub) ? namesIn(join(dir, sub)) : undefined;
    if (!names?.has(name)) continue;
    if (name !== 'package.json' || packageJsonHasKey(join(dir, name), packageKey)) return true;
  }
  return false;
}

/**
 * Each directory listed once (a listing or two per directory instead of a stat per place), its
 * names lower-cased so a case-insensitive file system matches more, never less; undefined for
 * a directory that is not there.
 */
function directoryNames(): DirectoryNames {
  const listings = new Map<string, Set<string> | undefined>();
  return (dir) => {
    if (!listings.has(dir)) listings.set(dir, lowerCaseNames(dir));
    return listings.get(dir);
  };
}

function lowerCaseNames(dir: string): Set<string> | undefined {
  try {
    // asked first: the exception readdir throws for a missing directory costs more than this call
    if (!existsSync(dir)) return undefined;
    return new Set(readdirSync(dir).map((name) => name.toLowerCase()));
  } catch (err) {
    if (isAbsent(err)) return undefined;
    throw err;
  }
}

function packageJsonHasKey(file: string, key: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (isAbsent(err)) return false;
    throw err;
  }
  // Invalid JSON throws, and cosmiconfig reports it.
  const json = JSON.parse(text) as unknown;
  return typeof json !== 'object' || json === null || (json as Record<string, unknown>)[key] !== undefined;
}

function isAbsent(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
