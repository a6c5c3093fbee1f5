import { Transform, type Readable, type TransformCallback } from 'node:stream';

/**
 * Passes a blob through while holding back its LAST chunk until the upstream ended cleanly. The
 * source's VerifyingStream only ends after the digest and size checked out, so a destination
 * never receives the complete body of a blob that failed verification: the body ends short and
 * the upload fails, instead of delivering every byte and leaving the check to the receiving side.
 */
export class HoldLastChunk extends Transform {
  private held: Buffer | undefined;
  private dropHeld = false;

  constructor(private readonly onBytes: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const previous = this.held;
    this.held = chunk;
    this.onBytes(chunk.length);
    cb(null, previous);
  }

  override _flush(cb: TransformCallback): void {
    cb(null, this.dropHeld ? undefined : this.held);
    this.held = undefined;
  }

  /** Ends the body early, without the held chunk, so whoever reads it sees a short body. */
  cutShort(): void {
    this.dropHeld = true;
    if (!this.destroyed && !this.writableEnded) this.end();
  }
}

/**
 * Adapts an async blob opener to the synchronous body factory `ImageDestination.putBlob` takes.
 * Every call is one attempt (a destination retrying after a dropped connection calls again and
 * gets a fresh read from the start). `prefetched`, when given, serves the first attempt: the read
 * was started while the destination was still opening its upload, saving a round trip per blob.
 */
export class BlobBody {
  private prefetched: Promise<Readable> | undefined;
  private reported = 0;
  private failed: unknown;

  constructor(
    private readonly open: () => Promise<Readable>,
    /** Called with the running total (the most any attempt has read so far). */
    private readonly onProgress: (total: number) => void,
    prefetch: boolean,
    /**
     * Called once when the source fails. The caller aborts the destination's write with it: a
     * body that merely ends short can leave an HTTP upload waiting for the rest (the declared
     * Content-Length) until it times out.
     */
    private readonly onFailure: (err: unknown) => void = () => {},
    /** Called when a read has handed over its last byte (the destination may still be committing). */
    private readonly onSourceEnd: () => void = () => {},
  ) {
    if (prefetch) {
      this.prefetched = open();
      // a prefetch nobody ends up reading must not surface as an unhandled rejection
      this.prefetched.catch(() => undefined);
    }
  }

  get bytesRead(): number {
    return this.reported;
  }

  /** Why the source failed (a digest mismatch, a dropped download), which outranks the destination's error. */
  get failure(): unknown {
    return this.failed;
  }

  readonly factory = (): Readable => {
    const opening = this.prefetched ?? this.open();
    this.prefetched = undefined;
    let attempt = 0;
    const out = new HoldLastChunk((n) => {
      attempt += n;
      if (attempt > this.reported) {
        this.reported = attempt;
        this.onProgress(attempt);
      }
    });
    const fail = (err: unknown): void => {
      out.cutShort();
      if (this.failed !== undefined) return;
      this.failed = err;
      this.onFailure(err);
    };
    opening.then((stream) => {
      stream.on('error', fail);
      stream.once('end', this.onSourceEnd);
      // The destination gave up on this attempt (aborted, connection lost): stop reading the source.
      out.on('close', () => stream.destroy());
      stream.pipe(out);
    }, fail);
    return out;
  };

  /** Releases a prefetched read the destination never asked for (it found the blob already there). */
  dispose(): void {
    const unused = this.prefetched;
    this.prefetched = undefined;
    unused?.then((s) => s.destroy(), () => undefined);
  }
}
