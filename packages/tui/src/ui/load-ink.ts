import { importModule } from '../startup/host.js';

/**
 * The key under which the loaded ink module is kept for the bundled CLI. ink is an ES module with
 * top-level await, which CommonJS cannot require, so the CLI bundle (CommonJS, for its compile
 * cache; see build.mjs) replaces every `import … from 'ink'` with a read of this key, and the UI
 * calls loadInk() before any of its modules run.
 */
export const INK_MODULE_KEY = Symbol.for('nextdeploy-tui.ink');

/** Loads ink (dist/ink/ink.js for the bundle: the bin maps the name) once the environment is as ink should see it on import. */
export async function loadInk(): Promise<void> {
  (globalThis as Record<symbol, unknown>)[INK_MODULE_KEY] = await importModule('ink');
}
