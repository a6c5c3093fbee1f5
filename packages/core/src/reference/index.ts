export * from './types.js';
export * from './hosts.js';
