#!/usr/bin/env node
/**
 * Bundles the CLI into dist/ so start-up reads a few files instead of hundreds:
 * - dist/main.cjs: the whole CLI, UI included, as ONE CommonJS file, so that the bin can compile
 *   it with a V8 code cache (src/startup/compile-cache.ts; Node 20 caches no ES modules). Modules
 *   behind a dynamic import() are wrapped by esbuild and only run when imported, so commands, the
 *   configuration loader and the UI stay lazy even in one file.
 * - dist/ink/: ink, an ES module with top-level await that CommonJS cannot require, bundled on
 *   its own and loaded by the UI at start (src/ui/load-ink.ts).
 * - dist/compile-cache.cjs, and dist/cli.cjs, the bin: a stub in front of them; see BIN_STUB.
 * @nextdeploy/core and react stay packages: plugins and ink must see the very same instances.
 * Type checking stays with `tsc --noEmit`.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMetafile, build } from 'esbuild';
import { deferModules } from '../../scripts/build/defer-modules.mjs';
import { CJS_FROM_ESM } from '../../scripts/build/dual-package.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const src = resolve(root, 'src');
const dist = resolve(root, 'dist');

/**
 * Source files that look up files or packages relative to themselves (`new URL('../../package.json',
 * import.meta.url)`, resolving a built-in provider from here) must keep working when bundled. Every
 * output file lands directly in dist/, so `import.meta.url` is rewritten to the URL the module had
 * in the unbundled layout (src/program/run.ts -> dist/program/run.js): relative lookups keep
 * their meaning whichever chunk the module ends up in.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (!args.path.startsWith(`${src}/`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const unbundled = relative(src, args.path).replace(/\.tsx?$/, '.js').split('\\').join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(unbundled)}, import.meta.url).href`),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

/**
 * cosmiconfig reads every package.json on its search path through parse-json, whose module init
 * (@babel/code-frame, chalk, ...) cost ~15 ms of each run, only to word errors better. Valid JSON
 * goes through JSON.parse exactly as parse-json does; the real parse-json is loaded only to throw
 * its own error for a broken file.
 */
const lazyParseJson = {
  name: 'lazy-parse-json',
  setup(b) {
    b.onResolve({ filter: /^parse-json$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve('parse-json', { resolveDir: args.resolveDir, kind: 'require-call', pluginData: 'real' });
      if (real.errors.length > 0) return undefined;
      return { path: real.path, namespace: 'lazy-parse-json' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-parse-json' }, (args) => ({
      contents: `module.exports = function parseJson(text, reviver, filename) {
  try {
    return JSON.parse(text, typeof reviver === 'function' ? reviver : undefined);
  } catch {
    return require(${JSON.stringify(args.path)})(text, reviver, filename);
  }
};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * In the CommonJS bundle, `import … from 'ink'` reads the module loadInk() stored (loadInk's own
 * import goes through the bin, which maps 'ink' to dist/ink/ink.js). A UI module that ran before
 * loadInk would be a bug here, so the stand-in says so instead of handing out undefined.
 */
const inkFromLoader = {
  name: 'ink-from-loader',
  setup(b) {
    b.onResolve({ filter: /^ink$/ }, () => ({ path: 'ink', namespace: 'ink-from-loader' }));
    b.onLoad({ filter: /.*/, namespace: 'ink-from-loader' }, () => ({
      contents: `const { INK_MODULE_KEY } = require(${JSON.stringify(resolve(src, 'ui/load-ink.ts'))});
const ink = globalThis[INK_MODULE_KEY];
if (!ink) throw new Error('internal error: a UI module ran before loadInk() loaded ink');
module.exports = ink;`,
      loader: 'js',
      resolveDir: src,
    }));
  },
};

/**
 * Code compiled from a code cache cannot run import() on Node 20 (see src/startup/host.ts), so
 * cosmiconfig's two dynamic imports (a .ts config: typescript, then the transpiled file) go through
 * the bin like ours. The count is checked so that a cosmiconfig update cannot slip one past.
 */
const IMPORT_CALL = /(?<![\w$.])import\(/g;
const cosmiconfigImports = {
  name: 'cosmiconfig-imports-through-host',
  setup(b) {
    b.onLoad({ filter: /[\\/]cosmiconfig[\\/]dist[\\/]loaders\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const found = text.match(IMPORT_CALL)?.length ?? 0;
      if (found !== 2) throw new Error(`expected 2 import() calls in ${args.path}, found ${found}: review cosmiconfigImports in build.mjs`);
      const host = JSON.stringify(resolve(src, 'startup/host.ts'));
      return { contents: `const { importModule: __importModule } = require(${host});\n${text.replace(IMPORT_CALL, '__importModule(')}`, loader: 'js' };
    });
  },
};

/**
 * The one import() the bundle may keep is importModule's fallback for running unbundled; any other
 * would fail on every run that uses the compile cache.
 */
async function assertImportsGoThroughHost(file) {
  const text = await readFile(file, 'utf8');
  const found = text.match(IMPORT_CALL)?.length ?? 0;
  if (found !== 1) throw new Error(`${file} has ${found} import() calls, expected only importModule's fallback: route dynamic imports of non-bundled modules through importModule() (src/startup/host.ts)`);
}

/** Shared by ink and the UI: one react instance, or hooks break. */
const SHARED_PACKAGES = ['react', 'react/jsx-runtime', 'react-devtools-core'];

/**
 * The bin, CommonJS like the bundle so that a command that loads no plugin never starts the ESM
 * loader. Node only maps stack frames of modules compiled after source maps are switched on, so
 * `--debug` (whose stacks should point into src/) switches them on and skips the compile cache,
 * whose compiled code maps nothing. require and import() are handed over (src/startup/host.ts);
 * ink is the copy bundled next to the bin.
 */
const BIN_STUB = `#!/usr/bin/env node
'use strict';
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
else require('./compile-cache.cjs').enableCompileCache();
require('./main.cjs').main(process.argv, {
  require,
  import: (specifier) => import(specifier === 'ink' ? './ink/ink.js' : specifier),
});
`;

/**
 * Bundled CommonJS dependencies of ink call require() for node builtins; ESM has none of its own.
 */
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

await rm(dist, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};
const cli = await build({
  ...common,
  ...CJS_FROM_ESM,
  entryPoints: { main: 'src/main.ts' },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  jsx: 'automatic',
  // Optional peers (typescript for cosmiconfig's .ts configs) are only ever loaded on purpose.
  external: ['@nextdeploy/core', ...SHARED_PACKAGES, 'typescript'],
  // commander requires node:child_process at load, for executable subcommands we never use
  plugins: [keepModuleUrls, lazyParseJson, inkFromLoader, cosmiconfigImports, deferModules(['node:child_process'], root)],
});
const cache = await build({
  ...common,
  ...CJS_FROM_ESM,
  // not cached itself: it is what installs the cache
  banner: {},
  entryPoints: { 'compile-cache': 'src/startup/compile-cache.ts' },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
});
const ink = await build({
  ...common,
  entryPoints: { ink: fileURLToPath(import.meta.resolve('ink')) },
  // split, so that ink's devtools (a dynamic import, only under DEV=true) stays out of the main file
  splitting: true,
  outdir: resolve(dist, 'ink'),
  format: 'esm',
  banner: { js: REQUIRE_BANNER },
  external: SHARED_PACKAGES,
});

await assertImportsGoThroughHost(resolve(dist, 'main.cjs'));
await mkdir(dist, { recursive: true });
await writeFile(resolve(dist, 'cli.cjs'), BIN_STUB, { mode: 0o755 });
await chmod(resolve(dist, 'cli.cjs'), 0o755);
if (process.argv.includes('--analyze')) {
  for (const result of [cli, cache, ink]) process.stdout.write(await analyzeMetafile(result.metafile));
}
