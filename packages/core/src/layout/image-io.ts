/**
 * The two interfaces every image location implements (a registry repository, an OCI image layout
 * directory, a `docker save` archive), so the copy engine moves images without knowing which kind
 * it talks to.
 *
 * Source contract
 * - `resolve()` picks the image the reference names and returns its top-level manifest or index
 *   bytes, already verified against the digest they are known by.
 * - `getManifest(digest)` fetches a child the top level points at (an index's manifests); the bytes
 *   are verified against `digest`.
 * - `getBlob(descriptor)` streams a config or layer. The stream is wrapped in `VerifyingStream`, so
 *   it errors (DigestMismatchError) at the end when the bytes are not what the descriptor says;
 *   consumers must not treat data as good until the stream ended without error.
 * - `close()` releases file handles/connections; safe to call twice.
 *
 * Destination contract
 * - The copy engine calls, in order: `hasBlob`/`putBlob` (and `mountBlob` where offered) for every
 *   config and layer, possibly several at once; `putManifest` for index children first and the
 *   top-level manifest last (`root: true`); then `commit()`. On any failure it calls `abort()`.
 * - `putBlob` gets a body factory rather than a stream so a destination can retry (a registry after
 *   a dropped connection) or skip reading altogether; the body is streamed, never buffered whole.
 *   Every destination verifies the digest and size of what it stores.
 * - File-based destinations make nothing visible until `commit()`: files are written under temp
 *   names and renamed into place there. `abort()` removes every temp file and leaves whatever was
 *   at the destination before untouched. A registry cannot offer that (pushed blobs stay), which
 *   is harmless because unreferenced blobs are garbage-collected there.
 * - `capabilities` tells the engine what it must convert before writing: a docker archive holds a
 *   single-platform Docker image, so the engine must pick a platform out of an index first.
 */
import type { Readable } from 'node:stream';
import type { Digest } from '../digest/index.js';
import type { Descriptor } from '../manifest/index.js';

/** Manifest or index bytes together with the identity they were verified against. */
export interface RawManifest {
  digest: Digest;
  mediaType: string;
  bytes: Buffer;
}

export interface ImageSource {
  /** Human-readable location for messages and progress, e.g. `oci:/tmp/out:v1`. */
  describe(): string;
  resolve(signal?: AbortSignal): Promise<RawManifest>;
  getManifest(digest: Digest, signal?: AbortSignal): Promise<RawManifest>;
  getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable>;
  close(): Promise<void>;
}

export interface PutBlobOptions {
  /**
   * The body is an `ImageSource.getBlob` stream for this very descriptor, passed on by the copy
   * engine so that its last byte only arrives once the source's digest check passed. A destination
   * may then check the size alone instead of hashing every byte a second time.
   */
  sourceVerified?: boolean;
}

export interface PutManifestOptions {
  /**
   * True for the manifest the reference names (what `resolve()` returned on the source side); false
   * for an index's children, which file destinations store as plain blobs.
   */
  root: boolean;
  /** Tag to record for a root manifest (registry tag, OCI `ref.name`, docker `RepoTags`). */
  tag?: string;
  signal?: AbortSignal;
}

export interface DestinationCapabilities {
  /** Whether image indexes (multi-platform) can be stored; if not, copy one platform's manifest. */
  indexes: boolean;
  /**
   * Layer encodings the destination stores. `['*']` takes anything; a docker archive stores
   * uncompressed tar but decompresses gzip itself, so it lists both; a registry prefers compressed
   * layers, so uncompressed ones should go through `tarball/compressLayer` first.
   */
  layerEncodings: readonly ('*' | 'gzip' | 'uncompressed')[];
}

export interface ImageDestination {
  describe(): string;
  readonly capabilities: DestinationCapabilities;
  hasBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<boolean>;
  putBlob(descriptor: Descriptor, body: () => Readable, signal?: AbortSignal, options?: PutBlobOptions): Promise<void>;
  /** Cross-repository mount on the same registry; resolves false when it did not happen. */
  mountBlob?(descriptor: Descriptor, fromRepository: string, signal?: AbortSignal): Promise<boolean>;
  putManifest(manifest: RawManifest, options: PutManifestOptions): Promise<void>;
  commit(signal?: AbortSignal): Promise<void>;
  abort(): Promise<void>;
}
