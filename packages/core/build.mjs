#!/usr/bin/env node
/**
 * Emits dist/index.js as ONE ESM file (tsc emits only the declarations). Every CLI run and every
 * provider plugin imports @nextdeploy/core; one file loads in a fraction of the time of ~80 files
 * plus tar-stream's CommonJS tree, and the CLI and the plugins it loads share this single copy.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { deferModules } from '../../scripts/build/defer-modules.mjs';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Only a docker-archive copy or a compressing push calls into tar-stream and node:zlib, only a
 * credential helper into node:child_process: see deferModules.
 */
const DEFERRED = ['tar-stream', 'node:zlib', 'node:child_process'];

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
  plugins: [deferModules(DEFERRED, root)],
});
