#!/usr/bin/env node
/**
 * Emits dist/index.cjs as ONE file and the ESM entry dist/index.js over it (tsc emits only the
 * declarations): see scripts/build/dual-package.mjs. The CLI loads this provider on most runs, and
 * four small modules cost ~3x the load time of one. @nextdeploy/core stays external, so the CLI
 * and every plugin share one copy of it.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildDualPackage } from '../../scripts/build/dual-package.mjs';

const root = dirname(fileURLToPath(import.meta.url));

await buildDualPackage({ esbuild, root, external: ['@nextdeploy/core'] });
