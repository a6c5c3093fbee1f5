import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { DigestMismatchError, ArchiveError } from '../errors/index.js';
import { VerifyingStream, type Digest } from '../digest/index.js';
import { MediaType, type Descriptor } from '../manifest/index.js';
import { openVerifiedRange } from '../layout/file-blobs.js';
import { streamToFile } from '../layout/temp-files.js';
import { HashingStream } from './hashing-stream.js';

/** Docker's uncompressed layer type (containerd knows it; the manifest module lists only gzip). */
export const DOCKER_LAYER_UNCOMPRESSED = 'application/vnd.docker.image.rootfs.diff.tar';

export type LayerEncoding = 'gzip' | 'zstd' | 'uncompressed';

const GZIP_TYPES = new Set<string>([MediaType.DockerLayerGzip, MediaType.DockerForeignLayerGzip, MediaType.OciLayerGzip, MediaType.OciNonDistributableLayerGzip]);
const ZSTD_TYPES = new Set<string>([MediaType.OciLayerZstd, MediaType.OciNonDistributableLayerZstd]);
const TAR_TYPES = new Set<string>([DOCKER_LAYER_UNCOMPRESSED, MediaType.OciLayer, MediaType.OciNonDistributableLayer]);

/** How a layer is encoded according to its media type; undefined for anything that is not a layer. */
export function layerEncoding(mediaType: string): LayerEncoding | undefined {
  if (GZIP_TYPES.has(mediaType)) return 'gzip';
  if (ZSTD_TYPES.has(mediaType)) return 'zstd';
  if (TAR_TYPES.has(mediaType)) return 'uncompressed';
  return undefined;
}

/** Sniffs the first bytes of a layer, for archives whose member names say nothing about encoding. */
export function sniffEncoding(head: Buffer): LayerEncoding {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'uncompressed';
}

export interface CompressedLayer {
  /** The gzip blob: media type as asked, digest and size of the compressed bytes. */
  descriptor: Descriptor;
  /** The uncompressed digest, for config `rootfs.diff_ids` (which compression never changes). */
  diffId: Digest;
  /** A fresh verified stream of the compressed bytes; call once per upload attempt. */
  open(signal?: AbortSignal): Readable;
  /** Deletes the temp file. */
  dispose(): Promise<void>;
}

export interface CompressLayerOptions {
  /** The uncompressed layer as the source described it; its digest must be the config's diff_id. */
  uncompressed: Descriptor;
  /** Media type of the result (default Docker gzip, as a Docker v2 schema 2 manifest needs). */
  mediaType?: string;
  /** Where the temp file goes (default the OS temp dir). */
  tempDir?: string;
  /** zlib level; 6 (default) is what docker and skopeo use. */
  level?: number;
  signal?: AbortSignal;
}

/**
 * Gzips an uncompressed layer (from a docker archive) for a registry push.
 *
 * A registry needs the compressed digest before the upload can finish (monolithic PUT, or the final
 * PUT of a chunked upload) and the manifest needs it too. Strategy: compress ONCE into a temp file
 * while hashing both sides, then upload from the file as often as retries need. The alternative —
 * compressing twice (once to hash, once while uploading, relying on deterministic zlib output) —
 * trades a disk write for double the CPU on a 2-core machine and breaks if the zlib build changes
 * between the passes, so it is not used. The uncompressed side is verified on the way in, so a
 * layer that does not match its diff_id never reaches the registry.
 */
export async function compressLayer(body: Readable, options: CompressLayerOptions): Promise<CompressedLayer> {
  const { uncompressed, signal } = options;
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'nextdeploy-gzip-'));
  const path = join(dir, 'layer.tar.gz');
  const verify = new VerifyingStream({ what: `uncompressed layer ${uncompressed.digest}`, expectedDigest: uncompressed.digest, expectedSize: uncompressed.size });
  const compressed = new HashingStream();
  try {
    await streamToFile(path, body, [verify, createGzip({ level: options.level ?? 6 }), compressed], signal);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const descriptor: Descriptor = { mediaType: options.mediaType ?? MediaType.DockerLayerGzip, digest: compressed.digest, size: compressed.size };
  return {
    descriptor,
    diffId: uncompressed.digest,
    open: (openSignal) => openVerifiedRange(path, { start: 0, length: descriptor.size }, descriptor, `compressed layer ${descriptor.digest}`, openSignal),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface SpooledContent {
  /** Digest of what was written: a layer's diff_id, or the blob's own digest for a non-layer blob. */
  contentDigest: Digest;
  size: number;
}

export interface SpoolOptions {
  /** Names the blob in errors. */
  what: string;
  /** The archive being written, for error messages. */
  archive: string;
  signal?: AbortSignal;
}

/**
 * Streams a blob into `path`, decompressing gzip layers, verifying the blob's own digest and size on
 * the way in, and returns the digest of what was written. The caller compares a layer's result with
 * its config's diff_id, because only the manifest tells which diff_id a blob must have.
 */
export async function spoolDecompressed(descriptor: Descriptor, body: Readable, path: string, options: SpoolOptions): Promise<SpooledContent> {
  const encoding = layerEncoding(descriptor.mediaType);
  if (encoding === 'zstd') {
    body.destroy();
    throw new ArchiveError(options.archive, `${options.what} is zstd-compressed, which cannot be decompressed on Node 20`, { hint: 'copy to an OCI layout or a registry instead' });
  }
  const verify = new VerifyingStream({ what: options.what, expectedDigest: descriptor.digest, expectedSize: descriptor.size });
  const hashed = new HashingStream();
  await streamToFile(path, body, encoding === 'gzip' ? [verify, createGunzip(), hashed] : [verify, hashed], options.signal);
  return { contentDigest: hashed.digest, size: hashed.size };
}

/** Throws unless a layer's uncompressed digest is the diff_id its config records. */
export function checkDiffId(what: string, expected: string, actual: Digest): void {
  if (expected !== actual) throw new DigestMismatchError(`${what} uncompressed content (config rootfs.diff_ids)`, expected, actual);
}
