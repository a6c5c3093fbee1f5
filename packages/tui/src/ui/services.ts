import { Writable } from 'node:stream';
import { createContext, type CommandContext } from '../context.js';
import { LazyConfiguredKeychain } from '../config/lazy-keychain.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { GlobalOptions } from '../program/globals.js';

/** What the screens need from outside React: the CLI's command context and the loaded config. */
export interface UiServices {
  /** The same context the subcommands get: keychain, transport options, `client(registry)`. */
  readonly context: CommandContext;
  /** `.nextdeployrc` with its profiles and plugins, loaded once on first use. */
  loadConfig(): Promise<LoadedConfig>;
  /** The provider the context's keychain would ask for `registry` (its own choice, not a copy). */
  providerFor(registry: string): ReturnType<LazyConfiguredKeychain['providerFor']>;
  /** Work that must finish its cleanup before the process exits (a copy removing its temp files). */
  track(work: Promise<unknown>): void;
  /** Resolves once all tracked work has settled. */
  settle(): Promise<void>;
}

/**
 * Builds the services over the CLI's own context. Warnings and `--debug` lines the context would
 * print go to `onLine` instead, because a stray stderr write tears a full-screen frame apart.
 */
export function createUiServices(globals: GlobalOptions, signal: AbortSignal, onLine: (line: string) => void): UiServices {
  const context = createContext(globals, signal, lineSink(onLine));
  const keychain = context.keychain;
  if (!(keychain instanceof LazyConfiguredKeychain)) {
    throw new Error('the command context no longer uses LazyConfiguredKeychain; the UI needs its config() and providerFor()');
  }
  const inFlight = new Set<Promise<unknown>>();
  return {
    context,
    loadConfig: () => keychain.config(),
    providerFor: (registry) => keychain.providerFor(registry),
    track: (work) => {
      const settled: Promise<void> = work.then(
        () => void inFlight.delete(settled),
        () => void inFlight.delete(settled),
      );
      inFlight.add(settled);
    },
    settle: async () => {
      await Promise.all([...inFlight]);
    },
  };
}

function lineSink(onLine: (line: string) => void): NodeJS.WritableStream {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
      callback();
    },
  });
}
