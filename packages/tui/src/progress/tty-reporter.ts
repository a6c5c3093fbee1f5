import type { CopyEvent } from '@nextdeploy/core';
import { formatSize } from '../output/size.js';
import { formatBar, formatEta, formatSpeed, shortDigest } from './format.js';
import { applyEvent, initialState, type TransferState } from './progress-state.js';
import type { Reporter } from './reporter.js';

const REDRAW_MS = 100;

/**
 * Live progress on a terminal: one line per blob in flight (bar, bytes, speed, ETA) and an overall
 * line, redrawn in place a few times a second with plain ANSI cursor movement (no UI framework, so
 * the copy command starts as fast as the others).
 */
export class TtyReporter implements Reporter {
  private readonly state: TransferState;
  private readonly timer: NodeJS.Timeout;
  private drawn = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.state = initialState(now());
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    this.timer.unref();
  }

  onEvent(event: CopyEvent): void {
    applyEvent(this.state, event, this.now());
  }

  stop(): void {
    clearInterval(this.timer);
    this.clear();
  }

  private draw(): void {
    const lines = renderLines(this.state, this.now(), this.out.columns || 80, (this.out.rows || 24) - 1);
    this.clear();
    this.out.write(lines.map((l) => `${l}\n`).join(''));
    this.drawn = lines.length;
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }
}

/** The frame for `state`: blob lines (as many as fit in `rows`), then the overall line. */
export function renderLines(state: TransferState, now: number, columns: number, rows: number): string[] {
  const fit = (s: string): string => (s.length > columns ? s.slice(0, Math.max(0, columns - 1)) : s);
  const active = [...state.active.values()].sort((a, b) => a.startedAt - b.startedAt);
  const room = Math.max(0, rows - 1);
  const shown = active.length > room ? active.slice(0, Math.max(0, room - 1)) : active;
  const lines = shown.map((b) => {
    const elapsed = now - b.startedAt;
    const fraction = b.size > 0 ? b.bytes / b.size : 1;
    return fit(
      `${shortDigest(b.digest)} ${formatBar(fraction, 20)} ${formatSize(b.bytes)}/${formatSize(b.size)} ` +
        `${formatSpeed(b.bytes, elapsed)} ETA ${formatEta(b.size - b.bytes, b.bytes, elapsed)}`,
    );
  });
  if (shown.length < active.length) lines.push(fit(`… ${active.length - shown.length} more in flight`));
  const elapsed = now - state.startedAt;
  const fraction = state.totalBytes > 0 ? state.doneBytes / state.totalBytes : 0;
  lines.push(
    fit(
      `total ${formatBar(fraction, 20)} ${state.finishedBlobs}/${state.totalBlobs} blobs ` +
        `${formatSize(state.doneBytes)}/${formatSize(state.totalBytes)} ${formatSpeed(state.movedBytes, elapsed)} ` +
        `ETA ${formatEta(state.totalBytes - state.doneBytes, state.movedBytes, elapsed)}`,
    ),
  );
  return lines;
}
