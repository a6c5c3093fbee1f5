import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { randomChunks } from './random-bytes.js';
import { tarFileHeader, tarPadding, tarTrailer } from './tar.js';
import { OCI_LAYER_GZIP, OCI_LAYER_TAR } from './media-types.js';

export interface LayerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar, as listed in the config's rootfs.diff_ids. */
  diffId: string;
}

export interface LayerSpec {
  blobsDir: string;
  fileName: string;
  contentBytes: number;
  compress: 'gzip' | 'none';
  seed?: string;
}

/**
 * Stream a one-file tar of pseudo-random bytes into `blobs/sha256/`, hashing the tar (diff_id)
 * and the stored bytes (digest) on the way, so 100 MiB layers never sit in memory.
 */
export async function writeLayerBlob(spec: LayerSpec): Promise<LayerDescriptor> {
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let stored = 0;
  function* tarStream(): Generator<Buffer> {
    yield tarFileHeader(spec.fileName, spec.contentBytes);
    yield* randomChunks(spec.contentBytes, spec.seed);
    yield tarPadding(spec.contentBytes);
    yield tarTrailer();
  }
  const hashTar = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      diffHash.update(chunk);
      cb(null, chunk);
    },
  });
  const hashBlob = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      blobHash.update(chunk);
      stored += chunk.length;
      cb(null, chunk);
    },
  });
  const tmp = join(spec.blobsDir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream> = [
      Readable.from(tarStream()),
      hashTar,
      // Level 0 (stored deflate blocks): still a valid gzip stream, and random bytes would not
      // shrink anyway, so spending CPU on compression would only slow big fixtures down ~10x.
      ...(spec.compress === 'gzip' ? [createGzip({ level: 0 })] : []),
      hashBlob,
      createWriteStream(tmp),
    ];
    await pipeline(stages);
    const hex = blobHash.digest('hex');
    await rename(tmp, join(spec.blobsDir, hex));
    return {
      mediaType: spec.compress === 'gzip' ? OCI_LAYER_GZIP : OCI_LAYER_TAR,
      digest: `sha256:${hex}`,
      size: stored,
      diffId: `sha256:${diffHash.digest('hex')}`,
    };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
