/**
 * Fires when a request has made no progress for `timeoutMs`. Progress is read from counters at
 * each check instead of being reported per chunk, so a 1 GiB transfer costs a handful of timer
 * ticks, not a timer refresh per 64 KiB. Checks run every quarter of the timeout, so a stall is
 * noticed between 1x and 1.25x the timeout after the last byte moved.
 */
export class IdleWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private lastMark = NaN;
  private lastProgressAt = 0;

  /**
   * @param progress a number that changes whenever bytes move (e.g. socket bytes read + written),
   *   or `true` when the wait is not the network's fault (the reader has a full buffer).
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly progress: () => number | true,
    private readonly onIdle: () => void,
  ) {}

  /** (Re)starts the idle clock from now. */
  start(): void {
    const mark = this.progress();
    this.lastMark = mark === true ? NaN : mark;
    this.lastProgressAt = performance.now();
    if (this.timer) return;
    // unref: the socket being waited on keeps the process alive; the watchdog never should.
    this.timer = setInterval(() => this.check(), Math.max(1, Math.floor(this.timeoutMs / 4))).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const now = performance.now();
    const mark = this.progress();
    if (mark === true || mark !== this.lastMark) {
      if (mark !== true) this.lastMark = mark;
      this.lastProgressAt = now;
      return;
    }
    if (now - this.lastProgressAt >= this.timeoutMs) {
      this.stop();
      this.onIdle();
    }
  }
}
