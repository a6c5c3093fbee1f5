import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { addAbortSignal, type Readable } from 'node:stream';
import { VerifyingStream, verifyDigest, type Digest } from '../digest/index.js';
import { ArchiveError } from '../errors/index.js';
import { FILE_STREAM_HIGH_WATER_MARK } from './temp-files.js';
import type { Descriptor } from '../manifest/index.js';

/** Manifests and configs are small; a larger "manifest" is a broken or hostile file, not a big image. */
export const MAX_METADATA_BYTES = 8 * 1024 * 1024;

export interface FileRange {
  /** Byte offset of the first byte. */
  start: number;
  length: number;
}

/**
 * Streams `length` bytes of `path` from `start`, verified against the descriptor: the returned
 * stream errors at its end if digest or size differ. Used for layout blobs (whole file) and for
 * entries inside an uncompressed tar archive (a byte range), so nothing is ever extracted to disk.
 */
export function openVerifiedRange(path: string, range: FileRange, descriptor: Descriptor, what: string, signal?: AbortSignal): Readable {
  const verifier = new VerifyingStream({ what, expectedDigest: descriptor.digest, expectedSize: descriptor.size });
  if (range.length === 0) {
    // createReadStream cannot express an empty range (`end` is inclusive)
    verifier.end();
    return verifier;
  }
  const file = createReadStream(path, { start: range.start, end: range.start + range.length - 1, highWaterMark: FILE_STREAM_HIGH_WATER_MARK });
  file.on('error', (err) => verifier.destroy(err));
  verifier.on('close', () => file.destroy());
  file.pipe(verifier);
  return signal ? addAbortSignal(signal, verifier) : verifier;
}

/** Reads a byte range fully; `archive` names the file in errors. */
export async function readRange(path: string, range: FileRange, archive: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(range.length);
    let done = 0;
    while (done < range.length) {
      const { bytesRead } = await handle.read(buf, done, range.length - done, range.start + done);
      if (bytesRead === 0) throw new ArchiveError(archive, `file ended after ${done} of ${range.length} bytes at offset ${range.start}; the file is truncated`);
      done += bytesRead;
    }
    return buf;
  } finally {
    await handle.close();
  }
}

/** Reads a small metadata blob (manifest, config) and checks it against its digest. */
export async function readVerifiedMetadata(path: string, range: FileRange, digest: Digest, what: string, archive: string): Promise<Buffer> {
  if (range.length > MAX_METADATA_BYTES) {
    throw new ArchiveError(archive, `${what} is ${range.length} bytes, more than the ${MAX_METADATA_BYTES}-byte limit for manifests and configs`);
  }
  const bytes = await readRange(path, range, archive);
  verifyDigest(what, bytes, digest);
  return bytes;
}
