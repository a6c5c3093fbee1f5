export * from './events.js';
export * from './transport-reference.js';
export * from './transport-pool.js';
export * from './registry-endpoint.js';
export * from './open-endpoints.js';
export { copyImage, DEFAULT_JOBS, type CopyOptions } from './copy-image.js';
