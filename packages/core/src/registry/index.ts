export { RegistryClient, createRegistryClient } from './client.js';
export type { CallOptions } from './context.js';
export type { GetBlobOptions } from './blobs.js';
export type { Page, PageOptions } from './listing.js';
export { MANIFEST_SIZE_LIMIT, type FetchedManifest, type ManifestHead } from './manifests.js';
export type { ReferrersOptions } from './referrers.js';
export { DEFAULT_UPLOAD_STRATEGY, type UploadBlobOptions, type UploadStrategy } from './upload.js';
export type { UploadBody } from './upload-body.js';
export { parseLinkHeader, nextLink, type Link } from './link-header.js';
