/**
 * What the bin hands the bundled CLI (CommonJS, for its compile cache). Unset when the sources run
 * as ES modules themselves, as in tests.
 */
export interface CliHost {
  /**
   * The bundle's own require: the built-in providers ship CommonJS (their ESM entry re-exports it),
   * so the bundle requires them, compiled with the same cache, and never starts the ESM loader for them.
   */
  require?: NodeJS.Require;
  /**
   * `import()` of a module next to the CLI. Code that V8 compiled from a code cache cannot run
   * import() itself on Node 20 (the cached script loses its dynamic-import callback), so every
   * dynamic import of the bundle goes through here, compiled without a cache, in the bin.
   */
  import?: (specifier: string) => Promise<unknown>;
}

let current: CliHost = {};

export function setCliHost(host: CliHost): void {
  current = host;
}

export function cliHost(): CliHost {
  return current;
}

/** import() a module that is not part of the bundle: a plugin, a config file, ink, a node builtin. */
export function importModule<T = Record<string, unknown>>(specifier: string): Promise<T> {
  return (current.import ? current.import(specifier) : import(specifier)) as Promise<T>;
}
