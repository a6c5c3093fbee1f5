import type { LayerDescriptor } from './layer-blob.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface BuildOciLayoutOptions {
  /** Number of layers per image; default 1. */
  layers?: number;
  /** Bytes of random file content in each layer (before tar/gzip); default 1024. */
  layerSize?: number;
  /** Default 'gzip'. */
  compress?: 'gzip' | 'none';
  /** Same seed -> same bytes -> same digests. Without it every build is unique. */
  seed?: string;
  /** Given -> an OCI index of one manifest per platform. Absent -> one linux/amd64 manifest. */
  platforms?: Platform[];
  /** `org.opencontainers.image.ref.name` in index.json; default 'latest'. */
  tag?: string;
}

export interface BuiltImage {
  platform: Platform;
  manifestDigest: string;
  manifestSize: number;
  configDigest: string;
  configSize: number;
  layers: LayerDescriptor[];
}

export interface OciLayoutBuild {
  dir: string;
  tag: string;
  /** Top-level digest: the index when `platforms` was given, else the manifest. */
  digest: string;
  mediaType: string;
  size: number;
  /** Set when `platforms` was given. */
  indexDigest?: string;
  /** Set for single-platform builds. */
  manifestDigest?: string;
  images: BuiltImage[];
}
