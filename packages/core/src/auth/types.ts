/**
 * What a keychain hands the transport for one registry. Every field is optional and an empty object
 * means anonymous: the transport still follows Bearer challenges, just without credentials.
 * Mirrors docker's config.json auth entry so credential helpers and plugins map onto it directly.
 */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** OAuth2 refresh token: exchanged with `grant_type=refresh_token` at the Bearer realm. */
  identityToken?: string;
  /** A registry bearer token sent as-is, with no challenge round trip. */
  registryToken?: string;
  /** When the credentials stop working; a keychain refreshes them before then. */
  expiresAt?: Date;
}

/** Produces credentials on demand, so short-lived ones can be fetched late and refreshed. */
export interface Authenticator {
  authorization(signal?: AbortSignal): Promise<AuthConfig>;
}

/** What credentials are asked for: a registry host, optionally narrowed to a repository. */
export interface AuthResource {
  /** Normalised registry host[:port], e.g. `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  readonly registry: string;
  readonly repository?: string;
}

/**
 * Maps a resource to an authenticator. "Not mine" is answered with the anonymous authenticator,
 * never an error, so keychains can be chained and the first one with an opinion wins.
 */
export interface Keychain {
  resolve(resource: AuthResource, signal?: AbortSignal): Promise<Authenticator>;
}

export const anonymous: Authenticator = Object.freeze({
  authorization: async (): Promise<AuthConfig> => ({}),
});

export function isAnonymous(auth: AuthConfig): boolean {
  return !auth.username && !auth.password && !auth.identityToken && !auth.registryToken;
}
