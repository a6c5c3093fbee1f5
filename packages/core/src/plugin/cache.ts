import type { AuthConfig } from '../auth/types.js';

/** Longest head start a refresh gets before expiry. */
const MAX_REFRESH_MARGIN_MS = 5 * 60_000;

interface Entry {
  value: AuthConfig;
  /** When to fetch again; undefined = never (credentials without expiry). */
  refreshAt: number | undefined;
}

/**
 * Caches resolved credentials per key and refreshes them a quarter of their lifetime (at most five
 * minutes) before they expire, so a long copy never sends a token that dies mid-request.
 * Concurrent callers share one in-flight fetch: a plugin that spawns a CLI or calls a cloud API
 * runs once, not once per blob.
 */
export class CredentialCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<AuthConfig>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async get(key: string, fetch: () => Promise<AuthConfig>): Promise<AuthConfig> {
    const entry = this.#entries.get(key);
    if (entry && (entry.refreshAt === undefined || this.#now() < entry.refreshAt)) return entry.value;
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const started = this.#now();
    const promise = fetch()
      .then((value) => {
        this.#entries.set(key, { value, refreshAt: refreshAt(started, value.expiresAt) });
        return value;
      })
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return promise;
  }

  /** Drops everything for keys starting with `prefix` (after logout, or a 401 with fresh credentials). */
  invalidate(prefix = ''): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}

function refreshAt(fetchedAt: number, expiresAt: Date | undefined): number | undefined {
  if (!expiresAt) return undefined;
  const expiry = expiresAt.getTime();
  const margin = Math.min(MAX_REFRESH_MARGIN_MS, Math.max(0, (expiry - fetchedAt) / 4));
  return expiry - margin;
}
