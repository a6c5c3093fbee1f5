export * from './image-io.js';
export * from './layout-files.js';
export * from './oci-layout-source.js';
export * from './oci-layout-destination.js';
export * from './layout-reference.js';
