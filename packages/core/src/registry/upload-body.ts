import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';

/** Blob content to upload: bytes in memory, or a factory that opens the content from its start. */
export type UploadBody = Uint8Array | (() => Readable);

/**
 * Reports upload progress as a high-water mark, so bytes resent by a transport retry or a
 * chunk rewind are not counted twice.
 */
export class ProgressTracker {
  private reported = 0;
  constructor(private readonly onBytes: ((n: number) => void) | undefined) {}

  /** Everything below `position` has been sent at least once. */
  reach(position: number): void {
    if (this.onBytes && position > this.reported) {
      this.onBytes(position - this.reported);
      this.reported = position;
    }
  }
}

/** Counts bytes passing through, starting at `offset`, into a tracker. */
class Counter extends Transform {
  constructor(private position: number, private readonly tracker: ProgressTracker) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.position += chunk.length;
    this.tracker.reach(this.position);
    cb(null, chunk);
  }
}

/**
 * The whole body as a request body. Bytes stay bytes (retryable, progress reported when the
 * request is acknowledged); a factory is wrapped so progress flows while it streams.
 */
export function wholeBody(body: UploadBody, tracker: ProgressTracker): Uint8Array | (() => Readable) {
  if (body instanceof Uint8Array) return body;
  // pipeline, not pipe: a source that fails must fail the request body too, or the upload waits
  // for a timeout instead of ending with the source's error.
  return () => pipeline(body(), new Counter(0, tracker), () => {});
}

/**
 * Yields the content from `from` onwards in pieces of exactly `chunkSize` bytes (the last may be
 * shorter). A factory is reopened and the first `from` bytes skipped, which only happens when a
 * registry asks to resume earlier than where the previous pass stopped.
 */
export async function* chunksFrom(body: UploadBody, from: number, chunkSize: number): AsyncGenerator<{ offset: number; data: Buffer }> {
  if (body instanceof Uint8Array) {
    for (let offset = from; offset < body.length; offset += chunkSize) {
      const end = Math.min(offset + chunkSize, body.length);
      yield { offset, data: Buffer.from(body.buffer, body.byteOffset + offset, end - offset) };
    }
    return;
  }
  const stream = body();
  try {
    let skip = from;
    let offset = from;
    let pending: Buffer[] = [];
    let pendingLength = 0;
    for await (const raw of stream as AsyncIterable<Buffer>) {
      let chunk = raw;
      if (skip > 0) {
        if (chunk.length <= skip) {
          skip -= chunk.length;
          continue;
        }
        chunk = chunk.subarray(skip);
        skip = 0;
      }
      while (chunk.length > 0) {
        const take = Math.min(chunk.length, chunkSize - pendingLength);
        pending.push(chunk.subarray(0, take));
        pendingLength += take;
        chunk = chunk.subarray(take);
        if (pendingLength === chunkSize) {
          yield { offset, data: Buffer.concat(pending, pendingLength) };
          offset += pendingLength;
          pending = [];
          pendingLength = 0;
        }
      }
    }
    if (pendingLength > 0) yield { offset, data: Buffer.concat(pending, pendingLength) };
  } finally {
    stream.destroy();
  }
}
