import { createRegistryClient, type DebugEvent, type Keychain, type RegistryClient, type TransportOptions } from '@nextdeploy/core';
import type { GlobalOptions } from './program/globals.js';
import { LazyConfiguredKeychain } from './config/lazy-keychain.js';
import { PROGRAM_NAME, warn } from './program/report-error.js';

/** What every command shares: parsed global flags, credentials, transport settings, the Ctrl-C signal. */
export interface CommandContext {
  readonly globals: GlobalOptions;
  readonly keychain: Keychain;
  /** Settings for every transport the command opens (without the command's own `--insecure` host). */
  readonly transportOptions: TransportOptions;
  /** Aborted by Ctrl-C; pass it to every network call. */
  readonly signal: AbortSignal;
  /** Transport settings for `registry`: `--insecure` applies to the registry the command names. */
  transportOptionsFor(registry: string): TransportOptions;
  /** A client for `registry` using the context's keychain, or `keychain` when given (login). */
  client(registry: string, keychain?: Keychain): RegistryClient;
}

/**
 * Where credentials come from. One function so the configuration layer can chain profile and
 * plugin keychains in front of docker's config.json without touching the commands.
 */
export function createKeychain(globals: GlobalOptions, stderr: NodeJS.WritableStream = process.stderr): LazyConfiguredKeychain {
  // Profiles and plugins (.nextdeployrc), then docker's credential helpers and auths, then anonymous;
  // read on first use, so commands that never ask for credentials never load the config.
  return new LazyConfiguredKeychain({
    ...(globals.config !== undefined ? { configFile: globals.config } : {}),
    ...(globals.profile !== undefined ? { profile: globals.profile } : {}),
    ...(globals.registryType !== undefined ? { registryType: globals.registryType } : {}),
    onWarning: (message) => warn(message, stderr),
    logger: {
      debug: (message) => {
        if (globals.debug) stderr.write(`${PROGRAM_NAME}: debug: ${message}\n`);
      },
      warn: (message) => warn(message, stderr),
    },
  });
}

/**
 * The context a subcommand runs with. Profiles marked `insecure: true` have to be known before the
 * first transport picks its scheme, so the configuration is read here rather than on first use.
 */
export async function prepareContext(globals: GlobalOptions, signal: AbortSignal, stderr: NodeJS.WritableStream = process.stderr): Promise<CommandContext> {
  const keychain = createKeychain(globals, stderr);
  // A broken configuration is not reported here: resolving credentials reports it with file and
  // line, and commands that need no credentials (login verifies with the typed ones) still work.
  const insecure = await keychain.insecureRegistries().catch(() => [] as string[]);
  return createContext(globals, signal, stderr, keychain, insecure);
}

export function createContext(
  globals: GlobalOptions,
  signal: AbortSignal,
  stderr: NodeJS.WritableStream = process.stderr,
  keychain: Keychain = createKeychain(globals, stderr),
  profileInsecureRegistries: readonly string[] = [],
): CommandContext {
  const retry = {
    ...(globals.retry !== undefined ? { retries: globals.retry } : {}),
    ...(globals.retryDelay !== undefined ? { baseDelayMs: globals.retryDelay } : {}),
  };
  const transportOptions: TransportOptions = {
    keychain,
    insecureRegistries: [...globals.insecureRegistry, ...profileInsecureRegistries],
    ...(Object.keys(retry).length > 0 ? { retry } : {}),
    ...(globals.debug ? { onDebug: (event: DebugEvent) => stderr.write(`${formatDebugEvent(event)}\n`) } : {}),
  };
  const transportOptionsFor = (registry: string): TransportOptions =>
    globals.insecure ? { ...transportOptions, insecureRegistries: [...(transportOptions.insecureRegistries ?? []), registry] } : transportOptions;
  return {
    globals,
    keychain,
    transportOptions,
    signal,
    transportOptionsFor,
    client: (registry, override) => createRegistryClient(registry, { ...transportOptionsFor(registry), ...(override ? { keychain: override } : {}) }),
  };
}

/** `nextdeploy-tui: debug: GET http://…/v2/ -> 401 (3 ms) [attempt 2] note`; the event is already redacted. */
export function formatDebugEvent(event: DebugEvent): string {
  const parts = [`${PROGRAM_NAME}: debug: ${event.method} ${event.url}`];
  if (event.status !== undefined) parts.push(`-> ${event.status}`);
  if (event.durationMs !== undefined) parts.push(`(${Math.round(event.durationMs)} ms)`);
  if (event.attempt !== undefined && event.attempt > 1) parts.push(`[attempt ${event.attempt}]`);
  if (event.note) parts.push(event.note);
  return parts.join(' ');
}
