export * from './types.js';
export { createTransport } from './create-transport.js';
export { HttpRegistryTransport, DEFAULT_USER_AGENT } from './http-transport.js';
export { DEFAULT_RETRY, backoffDelay, isRetryableStatus, parseRetryAfter, sleep } from './retry.js';
export { MAX_REDIRECTS, sameOrigin } from './redirect.js';
export { normalizeRegistryName, schemeMode, type SchemeMode } from './scheme.js';
