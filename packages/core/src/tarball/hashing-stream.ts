import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { Digest } from '../digest/index.js';

/**
 * A pass-through that hashes and counts what flows through, for content whose digest is not known
 * in advance (a layer we compress or decompress). Read `digest` and `size` only after the end.
 */
export class HashingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;
  private result: Digest | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.count += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.result = `sha256:${this.hash.digest('hex')}`;
    cb();
  }

  get digest(): Digest {
    if (!this.result) throw new Error('HashingStream digest read before the stream ended');
    return this.result;
  }

  get size(): number {
    return this.count;
  }
}
