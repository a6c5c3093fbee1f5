import type { ProviderOptionsSpec } from './options.js';

/** Bumped only when the contract changes incompatibly; the loader refuses plugins built for another. */
export const PROVIDER_API_VERSION = 1;

/** Where a plugin may write diagnostics; the CLI shows them with `--debug`. Never pass secrets. */
export interface PluginLogger {
  debug(message: string): void;
  warn(message: string): void;
}

/** Everything `resolve` and `logout` get for one registry. */
export interface ProviderContext {
  /** Normalised registry host[:port], e.g. `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  readonly registry: string;
  /** The repository being accessed, when known; plugins may scope tokens to it. */
  readonly repository?: string;
  /** The profile's options, already validated and defaulted against the plugin's `options` spec. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The profile's name, or undefined when the plugin was picked by `matches` alone. */
  readonly profile?: string;
  /** The `--registry TYPE` / `REGISTRY_TYPE` the user forced, when it named this plugin. */
  readonly registryType?: string;
  /** The environment to read from: tests and the TUI pass their own instead of `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  readonly logger: PluginLogger;
}

/**
 * Credentials for one registry: exactly one of username/password, identityToken (an OAuth2 refresh
 * token, optionally with the username it belongs to) or registryToken (a bearer token sent as-is).
 */
export interface ResolvedCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
  registryToken?: string;
  /** After this instant the credentials are useless; the keychain asks again shortly before. */
  expiresAt?: Date;
}

/** One value interactive login asks for. */
export interface LoginField {
  /** Key the answer is passed under, e.g. `username`, `password`. */
  name: string;
  /** Prompt text. */
  label: string;
  /** Typed without echo and never logged. */
  secret?: boolean;
  /** Environment variables consulted, in order, before prompting. */
  env?: readonly string[];
}

/** What a provider plugin is: a plain object, usually built with `defineProvider`. */
export interface ProviderPlugin {
  meta: { name: string; version: string };
  /** Must equal `PROVIDER_API_VERSION` of the core the plugin runs in. */
  apiVersion: number;
  displayName: string;
  /** Extra names `--registry TYPE` / `REGISTRY_TYPE` may use to force this plugin (besides `meta.name`). */
  registryTypes?: readonly string[];
  /** True when this plugin should handle a host even without a profile (auto-detection). */
  matches(registry: string): boolean;
  /** The options a profile using this plugin may set. */
  options: ProviderOptionsSpec;
  /** What interactive login asks for; a function when it depends on the host. */
  loginFields: readonly LoginField[] | ((registry: string) => readonly LoginField[]);
  /** Credentials for the host, or undefined when this plugin has none for it (then: anonymous). */
  resolve(ctx: ProviderContext): Promise<ResolvedCredentials | undefined>;
  /** Forgets stored credentials for the host (e.g. erases them from a credential helper). */
  logout?(ctx: ProviderContext): Promise<void>;
}
