import type { Socket } from 'node:net';

/** Pieces are small so a 200 Mbit/s link still releases bytes smoothly rather than in bursts. */
const PIECE_BYTES = 16 * 1024;

interface Pending {
  deliverAt: number;
  data: Buffer | null; // null = end of stream
}

export interface ShapeParams {
  delayMs: number;
  /** 0 or undefined = unlimited. */
  bytesPerSecond: number;
}

/**
 * One direction of a shaped link. Each piece is serialised onto the "wire" at the link rate
 * (a per-connection token bucket with no burst), then arrives `delayMs` later. A single FIFO and a
 * single timer keep bytes in order. The source is paused while too much is in flight, so memory
 * is bounded by roughly the bandwidth-delay product.
 */
export class ShapedPipe {
  private readonly queue: Pending[] = [];
  private wireFreeAt = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly highWater: number;
  bytes = 0;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly params: ShapeParams,
  ) {
    const bdp = (params.bytesPerSecond || 0) * (params.delayMs / 1000);
    this.highWater = Math.max(1024 * 1024, Math.ceil(bdp * 2));
    src.on('data', (chunk: Buffer) => this.accept(chunk));
    src.on('end', () => this.enqueue(null, 0));
    dst.on('drain', () => this.maybeResume());
  }

  private accept(chunk: Buffer): void {
    for (let off = 0; off < chunk.length; off += PIECE_BYTES) {
      this.enqueue(chunk.subarray(off, off + PIECE_BYTES), Math.min(PIECE_BYTES, chunk.length - off));
    }
    if (this.inFlight + this.dst.writableLength > this.highWater) this.src.pause();
  }

  private enqueue(data: Buffer | null, length: number): void {
    const now = performance.now();
    const start = Math.max(now, this.wireFreeAt);
    this.wireFreeAt = start + (this.params.bytesPerSecond > 0 ? (length / this.params.bytesPerSecond) * 1000 : 0);
    this.queue.push({ deliverAt: this.wireFreeAt + this.params.delayMs, data });
    this.inFlight += length;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, head.deliverAt - performance.now()));
  }

  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.queue.length > 0 && (this.queue[0]?.deliverAt ?? Infinity) <= now + 0.5) {
      const item = this.queue.shift();
      if (!item) break;
      if (this.dst.destroyed) return;
      if (item.data === null) {
        this.dst.end();
      } else {
        this.inFlight -= item.data.length;
        this.bytes += item.data.length;
        this.dst.write(item.data);
      }
    }
    this.maybeResume();
    this.schedule();
  }

  private maybeResume(): void {
    if (this.src.isPaused() && this.inFlight + this.dst.writableLength <= this.highWater / 2) this.src.resume();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}
