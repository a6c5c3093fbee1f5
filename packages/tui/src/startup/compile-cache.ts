import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/**
 * A V8 code cache for our own CommonJS bundles (the CLI, core, the built-in providers).
 *
 * Node 20 has no compile cache of its own (`module.enableCompileCache` came in 22). Without one,
 * every run compiles ~1 MB of JavaScript and compiles each function again the first time it runs:
 * about a third of a short command's time. V8 can serialise what it compiled after a run and take
 * it back on the next, so a rerun of the same command starts with its functions already compiled.
 *
 * Only files that start with COMPILE_CACHE_MARKER are cached; anything else (plugins, node_modules)
 * compiles as usual. Each cache file belongs to one source file (path, size, mtime), one Node
 * build, and one command, since a cache holds the functions the run that wrote it used: `copy`
 * and `tags` would overwrite each other's otherwise.
 */

/** Keep equal to COMPILE_CACHE_MARKER in scripts/build/dual-package.mjs (a test compares them). */
export const COMPILE_CACHE_MARKER = '/* nextdeploy:compile-cache */';

/** Set to a directory to keep the cache there, or to `0` / `off` to switch it off. */
export const COMPILE_CACHE_ENV = 'NEXTDEPLOY_COMPILE_CACHE';

interface CacheFile {
  dir: string;
  /** Same for every build of one source file and command. */
  prefix: string;
  name: string;
}

interface Compiled {
  script: vm.Script;
  cacheFile: CacheFile;
  /** The cache file's content was missing or V8 refused it, so this run writes a new one. */
  stale: boolean;
}

interface CompileHost {
  _compile(content: string, filename: string): unknown;
}

/**
 * Where caches live: `$NEXTDEPLOY_COMPILE_CACHE`, else `$XDG_CACHE_HOME/nextdeploy-tui/v8`, else
 * `~/.cache/nextdeploy-tui/v8`; undefined when switched off.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env[COMPILE_CACHE_ENV];
  if (configured === '0' || configured === 'off' || configured === 'false') return undefined;
  if (configured) return configured;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'nextdeploy-tui', 'v8');
}

/**
 * Cached data is code V8 runs without checking it against the source beyond its length, so a
 * directory someone else can write to would let them run code as us: only a directory of ours
 * that nobody else may write is used.
 */
function usableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = statSync(dir);
    const uid = process.getuid?.();
    if (!info.isDirectory()) return false;
    if (uid !== undefined && info.uid !== uid) return false;
    return (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * The global flags that take a value (program/globals.ts; a test keeps the two lists equal), so
 * that `--profile prod copy …` is a `copy` run. This file cannot load commander to ask it: it runs
 * before anything else is loaded.
 */
export const GLOBAL_VALUE_FLAGS: ReadonlySet<string> = new Set(['--insecure-registry', '--retry', '--retry-delay', '--config', '--profile', '-r', '--registry']);

/** The subcommand (`copy`, `tags`), or `ui` / `flags` (`--version`) without one. */
export function commandFlavour(argv: readonly string[]): string {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (GLOBAL_VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith('-')) return /^[a-z][a-z-]{0,30}$/.test(arg) ? arg : 'other';
  }
  return args.length === 0 ? 'ui' : 'flags';
}

/**
 * Makes every marked CommonJS file loaded from now on compile with cached data, and writes fresh
 * caches when the process exits. Does nothing (every file compiles as usual) where the cache
 * cannot be used: switched off, or no private directory.
 */
export function enableCompileCache(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): void {
  const dir = compileCacheDir(env);
  if (dir === undefined || !usableDir(dir)) return;
  const flavour = commandFlavour(argv);
  const compiled: Compiled[] = [];
  const proto = Module.prototype as unknown as CompileHost;
  const original = proto._compile;

  proto._compile = function compileWithCache(this: Module, content: string, filename: string): unknown {
    if (!content.startsWith(COMPILE_CACHE_MARKER)) return original.call(this, content, filename);
    const cacheFile = cacheFileFor(dir, filename, flavour);
    const cachedData = readCache(join(cacheFile.dir, cacheFile.name));
    // No dynamic-import callback: Node 20 drops it from cached code anyway, so the bundles route
    // every import() through the bin instead (src/startup/host.ts; build.mjs checks).
    const script = new vm.Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    compiled.push({ script, cacheFile, stale: cachedData === undefined || script.cachedDataRejected === true });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };

  process.once('exit', () => {
    for (const entry of compiled) {
      if (entry.stale) writeCache(entry.cacheFile, entry.script);
    }
  });
}

/** One cache file per source file and command; its name also changes with the file and with Node. */
function cacheFileFor(dir: string, filename: string, flavour: string): CacheFile {
  let identity = '';
  try {
    const info = statSync(filename);
    identity = `${info.size}:${info.mtimeMs}:${info.ino}`;
  } catch {
    // unreadable metadata: the name below still changes with the path and Node, and V8 checks the length
  }
  const prefix = `${hash(filename)}.${flavour}.`;
  const build = hash(`${identity}|${process.version}|${process.arch}`);
  return { dir, prefix, name: `${prefix}${build}.bin` };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function readCache(file: string): Buffer | undefined {
  try {
    const fd = openSync(file, 'r');
    try {
      // a cache file we did not write ourselves is not trusted, whatever the directory says
      const uid = process.getuid?.();
      if (uid !== undefined && fstatSync(fd).uid !== uid) return undefined;
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/**
 * Writes at exit, best effort: a temp name then a rename, so a concurrent run reads the old cache
 * or the new one, never half of one; caches of older builds of the same file are removed.
 */
function writeCache({ dir, prefix, name }: CacheFile, script: vm.Script): void {
  const file = join(dir, name);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, file);
    for (const other of readdirSync(dir)) {
      if (other !== name && other.startsWith(prefix) && other.endsWith('.bin')) rmSync(join(dir, other), { force: true });
    }
  } catch {
    rmSync(temp, { force: true });
  }
}
