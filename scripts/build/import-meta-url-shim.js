// Injected into CommonJS builds (see dual-package.mjs): the file's own URL, standing in for import.meta.url.
export const __nextdeployModuleUrl = require('node:url').pathToFileURL(__filename).href;
