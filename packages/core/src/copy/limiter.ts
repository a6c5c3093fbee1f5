import { abortReason } from '../transport/retry.js';

/** A counting semaphore: at most `limit` holders at once, waiters served in arrival order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number >= 1, got ${limit}`);
  }

  /** Runs `task` once a slot is free; a signal aborted while waiting rejects without running it. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Takes a slot, waiting for one if needed; pair with exactly one `release()`. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortReason(signal!));
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  /** Allows more holders from now on, letting waiters in at once. */
  raise(limit: number): void {
    if (limit <= this.limit) return;
    this.limit = limit;
    while (this.active < this.limit && this.waiting.length > 0) this.waiting.shift()!();
  }
}

/** Runs a task under several limiters at once (the global job limit and each host's limit). */
export function runLimited<T>(limiters: readonly Limiter[], task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  // Always acquired in the same order, so two tasks can never hold one limiter each and wait for the other.
  return limiters.reduceRight<() => Promise<T>>((inner, limiter) => () => limiter.run(inner, signal), task)();
}
