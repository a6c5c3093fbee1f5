#!/usr/bin/env node
/**
 * Emits dist/index.js as ONE ESM file (tsc emits only the declarations). Every CLI run and every
 * provider plugin imports @nextdeploy/core; one file loads in a fraction of the time of ~80 files
 * plus tar-stream's CommonJS tree, and the CLI and the plugins it loads share this single copy.
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Modules only the tarball and layer-compression code calls into, i.e. only a docker-archive copy
 * or a compressing push. Their initialisation (tar-stream's streamx tree, node:zlib) cost ~10 ms
 * of every run, so each is replaced by a facade whose functions load the real module on first call.
 */
const DEFERRED = ['tar-stream', 'node:zlib'];

const deferModules = {
  name: 'defer-modules',
  setup(b) {
    const filter = new RegExp(`^(${DEFERRED.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'deferred' }));
    b.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => {
      const real = require(args.path);
      const names = Object.keys(real).filter((name) => typeof real[name] === 'function' && /^[A-Za-z_$][\w$]*$/.test(name));
      const load = args.path.startsWith('node:')
        ? `process.getBuiltinModule(${JSON.stringify(args.path)})`
        : `require(${JSON.stringify(require.resolve(args.path))})`;
      return {
        contents: [
          'let real;',
          `const load = () => (real ??= ${load});`,
          ...names.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  outfile: resolve(root, 'dist/index.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // tar-stream (bundled) is CommonJS and calls require() for node builtins; ESM has none of its own.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [deferModules],
});
