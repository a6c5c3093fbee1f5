import { readFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@nextdeploy/core';
import { cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import { jsonErrorLine, scriptErrorLine, syntaxErrorLine, yamlErrorLine } from './positions.js';
import { importModule } from '../startup/host.js';

export interface ConfigExplorer {
  /** The file's configuration; null when it is empty. */
  load(file: string): Promise<{ config: unknown } | null>;
  /** The first configuration found searching up from `from`, then the global directory. */
  search(from: string): Promise<{ filepath: string; config: unknown } | null>;
}

/**
 * cosmiconfig as `searchConfig` uses it, in its own module so that a run without a config file
 * never loads it. A file that cannot be read or parsed is a `ConfigError` with its path and line.
 */
export function createExplorer(moduleName: string, searchPlaces: readonly string[], stopDir: string | undefined): ConfigExplorer {
  let explorer: ReturnType<typeof cosmiconfig>;
  try {
    // cosmiconfig reads its own options from the working directory's package.json right here
    explorer = cosmiconfig(moduleName, {
      searchPlaces: [...searchPlaces],
      searchStrategy: 'global',
      cache: false,
      loaders: positionedLoaders,
      ...(stopDir ? { stopDir } : {}),
    });
  } catch (err) {
    rethrow(err, undefined);
  }
  return {
    load: (file) => explorer.load(file).catch((err: unknown) => rethrow(err, file)),
    search: (from) => explorer.search(from).catch((err: unknown) => rethrow(err, undefined)),
  };
}

function rethrow(err: unknown, file: string | undefined): never {
  if (err instanceof ConfigError) throw err;
  const e = err as NodeJS.ErrnoException & { filepath?: string };
  // parse-json (cosmiconfig's package.json reader) words a broken file as a multi-line code frame
  const jsonFile = /^JSON Error in (.+?):\s/.exec(e.message ?? '')?.[1];
  if (jsonFile) throw brokenJson(jsonFile, err);
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
      const hint = basename(file) === 'package.json' ? BROKEN_PACKAGE_JSON_HINT : undefined;
      throw parseError(file, 'not valid JSON', (err as Error).message, jsonErrorLine(text, (err as Error).message), err, hint);
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
  const mod = await importModule<{ default?: unknown }>(pathToFileURL(await realpath(file)).href);
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

/** Every search reads package.json files on its way up (and cosmiconfig its own options from the working directory's). */
const BROKEN_PACKAGE_JSON_HINT = 'fix the file, or run from a directory outside that project';

/** The same one-line error our own JSON loader gives, for a JSON file cosmiconfig read itself. */
function brokenJson(file: string, cause: unknown): ConfigError {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
    JSON.parse(text);
  } catch (err) {
    if (text) return parseError(file, 'not valid JSON', (err as Error).message, jsonErrorLine(text, (err as Error).message), cause, BROKEN_PACKAGE_JSON_HINT);
  }
  return new ConfigError('not valid JSON', { file, cause, hint: BROKEN_PACKAGE_JSON_HINT });
}

function parseError(file: string, what: string, detail: string, line: number | undefined, cause: unknown, hint?: string): ConfigError {
  return new ConfigError(`${what}: ${firstLine(detail)}`, { file, ...(line ? { line } : {}), cause, hint: hint ?? 'fix the file, or point --config at another one' });
}

function firstLine(s: string): string {
  const line = s.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
