import { describe, expect, it } from 'vitest';
import { Limiter } from '../src/copy/limiter.js';
import { LINK_LATENCY_MS, NARROW_STREAMS, StreamGate } from '../src/copy/stream-gate.js';

const signal = new AbortController().signal;

/** Resolves to how many of `entries` got in within a tick. */
async function admitted(entries: Promise<unknown>[]): Promise<number> {
  let n = 0;
  for (const e of entries) void e.then(() => n++);
  await new Promise((r) => setTimeout(r, 10));
  return n;
}

describe('StreamGate', () => {
  it('lets NARROW_STREAMS bodies stream at once to a near destination, the next one when a body is handed over', async () => {
    const gate = new StreamGate(8);
    gate.observeRoundTrip(2);
    const entries = Array.from({ length: 4 }, () => gate.enter(signal));
    expect(await admitted(entries)).toBe(NARROW_STREAMS);
    const leave = await entries[0]!;
    leave();
    leave(); // twice is harmless: one slot back, not two
    expect(await admitted(entries)).toBe(NARROW_STREAMS + 1);
  });

  it('opens fully once a round trip shows a long link, up to jobs', async () => {
    const gate = new StreamGate(5);
    const entries = Array.from({ length: 7 }, () => gate.enter(signal));
    expect(await admitted(entries)).toBe(NARROW_STREAMS);
    gate.observeRoundTrip(LINK_LATENCY_MS + 5);
    expect(await admitted(entries)).toBe(5);
  });

  it('a waiting body gives up when the copy is aborted', async () => {
    const gate = new StreamGate(1);
    await gate.enter(signal);
    const controller = new AbortController();
    const waiting = gate.enter(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('Limiter.raise', () => {
  it('admits waiters up to the new limit at once and never lowers it', async () => {
    const limiter = new Limiter(1);
    const entries = Array.from({ length: 4 }, () => limiter.acquire());
    expect(await admitted(entries)).toBe(1);
    limiter.raise(3);
    expect(await admitted(entries)).toBe(3);
    limiter.raise(2);
    limiter.release();
    expect(await admitted(entries)).toBe(4);
  });
});
