import { TokenCache } from '../auth/token-cache.js';
import { normalizeRegistry } from '../reference/hosts.js';
import { createTransport } from '../transport/create-transport.js';
import type { RegistryTransport, TransportOptions } from '../transport/types.js';

/**
 * One transport per registry host for a whole copy, so a source and a destination on the same
 * registry share keep-alive connections, the scheme probe and bearer tokens.
 */
export class TransportPool {
  private readonly transports = new Map<string, RegistryTransport>();
  private readonly tokenCache: TokenCache;
  private readonly optionsFor: (registry: string) => TransportOptions;

  /** `options` may be one set for every registry, or a function choosing per registry (`--insecure`). */
  constructor(options: TransportOptions | ((registry: string) => TransportOptions) = {}) {
    this.optionsFor = typeof options === 'function' ? options : () => options;
    this.tokenCache = (typeof options === 'function' ? undefined : options.tokenCache) ?? new TokenCache();
  }

  get(registry: string): RegistryTransport {
    const key = normalizeRegistry(registry);
    let transport = this.transports.get(key);
    if (!transport) {
      const options = this.optionsFor(key);
      transport = createTransport(key, { tokenCache: this.tokenCache, ...options });
      this.transports.set(key, transport);
    }
    return transport;
  }

  async close(): Promise<void> {
    const all = [...this.transports.values()];
    this.transports.clear();
    await Promise.all(all.map((t) => t.close?.()));
  }
}
