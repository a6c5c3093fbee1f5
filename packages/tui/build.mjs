#!/usr/bin/env node
/**
 * Bundles the CLI into dist/ so start-up reads a few files instead of hundreds: dist/main.js plus
 * chunks split at every dynamic import(), so each command, the configuration loader and the Ink
 * UI stay lazy. dist/cli.js (the bin) is a stub in front of it; see BIN_STUB. Type checking stays
 * with `tsc --noEmit`.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMetafile, build, transform } from 'esbuild';
import { deferModules } from '../../scripts/build/defer-modules.mjs';

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
 * Node only maps stack frames of modules compiled after source maps are switched on, so the bin
 * switches them on for `--debug` (whose stacks should point into src/) before loading the bundle,
 * and leaves normal runs without the cost.
 */
const BIN_STUB = `#!/usr/bin/env node
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
await import('./main.js');
`;

/**
 * Bundled CommonJS dependencies call require() for node builtins; ESM has none of its own. Every
 * chunk gets this line, and `onlyWhereRequired` then blanks it in the chunks that never use it.
 */
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Each createRequire() costs start-up time (~0.2 ms, in every chunk a run loads) although only
 * esbuild's `__require` helper, in one shared chunk, calls require. esbuild itself says whether a
 * chunk uses `require` as a free variable (a `define` replaces exactly those); the banner is blanked
 * elsewhere, keeping its line so the source maps stay aligned.
 */
async function onlyWhereRequired(file) {
  if (!file.path.endsWith('.js') || !file.text.includes(REQUIRE_BANNER)) return file.contents;
  const body = file.text.replace(REQUIRE_BANNER, '');
  const marker = '__nextdeploy_free_require__';
  const probe = await transform(body, { format: 'esm', platform: 'node', target: 'node20', define: { require: marker }, logLevel: 'silent' });
  return probe.code.includes(marker) ? file.contents : body;
}

await rm(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli.ts' },
  outdir: dist,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  banner: { js: REQUIRE_BANNER },
  external: [
    // Provider plugins (the built-in ones too) import @nextdeploy/core at run time. Left external,
    // the CLI and every plugin resolve the same file (itself one bundled module), so core loads
    // once per run and a plugin's errors and contract checks are the CLI's own, not a copy's.
    '@nextdeploy/core',
    // Optional peers that are only ever loaded on purpose, never needed by the CLI itself.
    'react-devtools-core',
    'typescript',
  ],
  metafile: true,
  write: false,
  logLevel: 'warning',
  legalComments: 'none',
  // commander requires node:child_process at load, for executable subcommands we never use
  plugins: [keepModuleUrls, lazyParseJson, deferModules(['node:child_process'], root)],
});

await mkdir(dist, { recursive: true });
await Promise.all(result.outputFiles.map(async (file) => writeFile(file.path, await onlyWhereRequired(file))));
await writeFile(resolve(dist, 'cli.js'), BIN_STUB, { mode: 0o755 });
await chmod(resolve(dist, 'cli.js'), 0o755);
if (process.argv.includes('--analyze')) process.stdout.write(await analyzeMetafile(result.metafile));
