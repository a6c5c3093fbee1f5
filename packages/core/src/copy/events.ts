import type { Digest } from '../digest/index.js';

/** Identifies a blob in progress events. */
export interface BlobRef {
  digest: Digest;
  size: number;
  mediaType: string;
}

/**
 * Everything a copy reports while it runs, as one discriminated union on `type`. The CLI's progress
 * lines and the full-screen UI are both folds over this stream.
 */
export type CopyEvent =
  | {
      type: 'image-start';
      source: string;
      destination: string;
      /** Digest of the top-level manifest as read from the source. */
      digest: Digest;
      /** Distinct blobs (configs + layers) the copy needs at the destination, and their total size. */
      blobs: number;
      bytes: number;
      /** Manifests to write (children of an index + the root). */
      manifests: number;
    }
  | ({ type: 'blob-start' } & BlobRef)
  /** Throttled: at most a few per second per blob; `bytes` is the running total for this blob. */
  | ({ type: 'blob-progress'; bytes: number } & BlobRef)
  /** Already at the destination; nothing was sent. */
  | ({ type: 'blob-skip' } & BlobRef)
  /** Linked from another repository of the same registry; nothing was sent. */
  | ({ type: 'blob-mount'; from: string } & BlobRef)
  /** Stored at the destination; `bytes` were read from the source for it. */
  | ({ type: 'blob-done'; bytes: number } & BlobRef)
  | ({ type: 'blob-fail'; error: string } & BlobRef)
  /** An uncompressed layer was gzipped because the destination needs compressed layers. */
  | { type: 'blob-compressed'; digest: Digest; size: number; compressed: BlobRef }
  | { type: 'manifest-put'; digest: Digest; mediaType: string; root: boolean; tag?: string }
  | { type: 'image-done'; summary: CopySummary };

export type CopyEventType = CopyEvent['type'];

export interface CopySummary {
  source: string;
  destination: string;
  /** Digest of what the destination now holds as the root manifest. */
  digest: Digest;
  mediaType: string;
  /** Digest of the source's top-level manifest; differs from `digest` when the copy rewrote it. */
  sourceDigest: Digest;
  /**
   * Why the root manifest's bytes (and so its digest) differ from the source, when they do:
   * `platform` (one manifest picked out of an index), `platform-subset` (a new, smaller index),
   * `compressed-layers` (docker-archive layers gzipped for a registry).
   */
  rewritten?: 'platform' | 'platform-subset' | 'compressed-layers';
  /** Platforms of the copied image(s), `os/arch[/variant]`; empty when unknown (a plain manifest). */
  platforms: string[];
  blobs: { total: number; copied: number; skipped: number; mounted: number };
  /** Sum of blob sizes, and the bytes actually read from the source and sent. */
  bytes: { total: number; moved: number };
  manifests: number;
  /** True when the destination already held the image and nothing had to be written. */
  upToDate: boolean;
  durationMs: number;
  /** Human-readable remarks, e.g. that a Docker manifest was stored as-is in an OCI layout. */
  notes: string[];
}
