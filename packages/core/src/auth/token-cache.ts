/** A bearer token and what it was issued for. */
export interface BearerToken {
  token: string;
  /** Epoch ms after which the token service considers it dead. */
  expiresAt: number;
  scopes: readonly string[];
}

/** Refresh this long before expiry so a token does not die mid-request (halved for short-lived tokens). */
const EARLY_REFRESH_MS = 30_000;

function isFresh(token: BearerToken, now: number, lifetimeMs: number): boolean {
  return now < token.expiresAt - Math.min(EARLY_REFRESH_MS, lifetimeMs / 2);
}

interface Entry {
  promise: Promise<BearerToken>;
  token?: BearerToken;
  fetchedAt: number;
}

/**
 * Tokens keyed by registry, identity and sorted scopes. Concurrent requests for the same key share
 * one in-flight fetch, so a burst of blob requests costs one token round trip, not one each.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  static key(registry: string, identity: string, scopes: readonly string[]): string {
    return `${registry}|${identity}|${[...scopes].sort().join(' ')}`;
  }

  async get(key: string, fetch: () => Promise<BearerToken>): Promise<BearerToken> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && (!entry.token || isFresh(entry.token, now, entry.token.expiresAt - entry.fetchedAt))) {
      return entry.promise;
    }
    const fresh: Entry = { promise: fetch(), fetchedAt: now };
    this.entries.set(key, fresh);
    try {
      fresh.token = await fresh.promise;
      return fresh.token;
    } catch (err) {
      // a failed fetch must not poison the key for the next caller
      if (this.entries.get(key) === fresh) this.entries.delete(key);
      throw err;
    }
  }

  /** Drops the entry when it still holds `token`: the registry refused it before its expiry. */
  invalidate(key: string, token: string): void {
    const entry = this.entries.get(key);
    if (entry?.token?.token === token) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
