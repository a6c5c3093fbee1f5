export * from './protocol.js';
export * from './client.js';
export * from './config.js';
export * from './keychain.js';
export * from './store.js';
