import { Limiter } from './limiter.js';

/** Blob bodies streaming at once between ends close by (the machine or the registry's disk is the limit). */
export const NARROW_STREAMS = 2;
/**
 * A round trip this slow means a long link, where each connection's throughput is
 * capped by window / RTT and only parallel connections fill the pipe. Loopback and LAN answer a
 * HEAD in a few ms.
 */
export const LINK_LATENCY_MS = 20;

/**
 * Decides how many blob bodies stream at once, separately from how many blobs are in flight
 * (`jobs`, which also counts uploads waiting for a registry to commit them).
 *
 * Measured here (distribution 2.8 on loopback, 8 x 32 MiB): a registry commits each upload with an
 * fsync, ~0.1 s per 32 MiB on this disk. With 8 bodies streaming at once they all end together and
 * their fsyncs queue up at the end (~0.3 s where nothing else happens); with 2 at a time the commits
 * of finished blobs overlap the streaming of the next ones: median 1.78-1.81 s against 2.07 s for
 * all-at-once, skopeo 2.12 s (7 alternating rounds). Pulling into an OCI layout, where one core
 * hashes every byte, 2 streams read larger chunks and share the caches better than 8: median
 * 548 ms against 608 ms (10 alternating rounds). Over a slow link (the 20 ms / 200 Mbit/s per
 * connection WAN case) parallel connections are what makes throughput, so the gate opens fully
 * once a round trip to the destination (or to a source registry) takes LINK_LATENCY_MS or more.
 */
export class StreamGate {
  private readonly slots: Limiter;

  constructor(private readonly max: number) {
    this.slots = new Limiter(Math.min(NARROW_STREAMS, max));
  }

  /** Reports how long a request to either end took (a blob HEAD, the source manifest GET): a far one opens the gate. */
  observeRoundTrip(ms: number): void {
    if (ms >= LINK_LATENCY_MS) this.slots.raise(this.max);
  }

  /** Waits for a slot; resolves to the function that gives it back (safe to call more than once). */
  async enter(signal: AbortSignal): Promise<() => void> {
    await this.slots.acquire(signal);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.slots.release();
    };
  }
}
