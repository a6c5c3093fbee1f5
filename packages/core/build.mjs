#!/usr/bin/env node
/**
 * Emits dist/index.cjs, ONE file with all of core (tsc emits only the declarations), and the ESM
 * entry dist/index.js over it: see scripts/build/dual-package.mjs. Every CLI run and every provider
 * plugin loads core; one file loads in a fraction of the time of ~80 files plus tar-stream's
 * CommonJS tree.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildDualPackage } from '../../scripts/build/dual-package.mjs';
import { deferModules } from '../../scripts/build/defer-modules.mjs';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Only a docker-archive copy or a compressing push calls into tar-stream and node:zlib, only a
 * credential helper into node:child_process: see deferModules.
 */
const DEFERRED = ['tar-stream', 'node:zlib', 'node:child_process'];

await buildDualPackage({ esbuild, root, plugins: [deferModules(DEFERRED, root)] });
