#!/usr/bin/env node
/**
 * Emits dist/index.js as ONE ESM file (tsc emits only the declarations): the CLI loads this
 * provider on most runs, and four small modules cost ~3x the load time of one (each ESM file is
 * resolved, read and linked on its own). @nextdeploy/core stays external, so the CLI and every
 * plugin share one copy of it.
 */
import { readdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = resolve(root, 'dist');

// Modules an earlier per-file build left behind are not part of the package any more.
for (const name of await readdir(dist).catch(() => [])) {
  if (/\.js(\.map)?$/.test(name) && !name.startsWith('index.')) await rm(resolve(dist, name));
}

await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  outfile: resolve(dist, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external: ['@nextdeploy/core'],
  logLevel: 'warning',
  legalComments: 'none',
});
