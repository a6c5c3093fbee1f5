export * from './archive-manifest.js';
export * from './tar-index.js';
export * from './hashing-stream.js';
export * from './layer-compression.js';
export * from './docker-archive-source.js';
export * from './docker-archive-destination.js';
