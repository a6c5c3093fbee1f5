import type { Digest } from '../digest/index.js';
import type { ManifestMediaType } from './media-types.js';

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  features?: string[];
}

/** A content descriptor: what a manifest or index says about one thing it points at. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  /** Only meaningful in an index's `manifests`. */
  platform?: Platform;
  artifactType?: string;
  /** Embedded content, base64. */
  data?: string;
}

/** An image manifest: OCI image manifest or Docker v2 schema 2 (same shape). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An image index: OCI index or Docker manifest list (same shape). */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type Manifest = ImageManifest | ImageIndex;

/** A validated manifest together with the media type it was served as or declares. */
export interface ParsedManifest {
  mediaType: ManifestMediaType;
  manifest: Manifest;
}
