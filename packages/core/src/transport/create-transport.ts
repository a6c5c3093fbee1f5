import { HttpRegistryTransport } from './http-transport.js';
import type { RegistryTransport, TransportOptions } from './types.js';

/**
 * A transport for one registry (`docker.io`, `ghcr.io`, `127.0.0.1:5000`): https by default, plain
 * http for loopback, and a TLS-then-http probe for registries listed in `insecureRegistries`.
 */
export function createTransport(registry: string, options: TransportOptions = {}): RegistryTransport {
  return new HttpRegistryTransport(registry, options);
}
