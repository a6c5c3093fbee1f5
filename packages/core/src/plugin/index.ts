export * from './types.js';
export * from './options.js';
export * from './define.js';
export * from './credentials.js';
export * from './cache.js';
export * from './keychain.js';
