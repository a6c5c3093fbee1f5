import { describe, expect, it } from 'vitest';
import type { CopyEvent } from '@nextdeploy/core';
import { applyEvent, initialState } from '../src/progress/progress-state.js';
import { renderLines } from '../src/progress/tty-reporter.js';
import { formatDuration, formatEta, shortDigest } from '../src/progress/format.js';
import { formatSummary } from '../src/progress/transfer.js';

const d = (c: string): `sha256:${string}` => `sha256:${c.repeat(64)}`;
const blob = (c: string, size: number) => ({ digest: d(c), size, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' });

describe('progress state', () => {
  it('folds blob events into totals, counting skipped and mounted blobs as done without moving bytes', () => {
    const s = initialState(0);
    const events: CopyEvent[] = [
      { type: 'image-start', source: 's', destination: 'd', digest: d('0'), blobs: 3, bytes: 3000, manifests: 1 },
      { type: 'blob-skip', ...blob('a', 1000) },
      { type: 'blob-start', ...blob('b', 1000) },
      { type: 'blob-progress', ...blob('b', 1000), bytes: 400 },
      { type: 'blob-mount', ...blob('c', 1000), from: 'other/repo' },
    ];
    for (const e of events) applyEvent(s, e, 1000);
    expect(s).toMatchObject({ totalBlobs: 3, finishedBlobs: 2, doneBytes: 2400, movedBytes: 400 });
    expect([...s.active.keys()]).toEqual([d('b')]);
    applyEvent(s, { type: 'blob-done', ...blob('b', 1000), bytes: 1000 }, 2000);
    expect(s).toMatchObject({ finishedBlobs: 3, doneBytes: 3000, movedBytes: 1000 });
    expect(s.active.size).toBe(0);
  });

  it('renders one line per blob in flight plus an overall line, cut to the terminal width and height', () => {
    const s = initialState(0);
    applyEvent(s, { type: 'image-start', source: 's', destination: 'd', digest: d('0'), blobs: 4, bytes: 4 * 1048576, manifests: 1 }, 0);
    for (const c of ['a', 'b', 'c', 'd']) applyEvent(s, { type: 'blob-start', ...blob(c, 1048576) }, 0);
    applyEvent(s, { type: 'blob-progress', ...blob('a', 1048576), bytes: 524288 }, 500);
    const lines = renderLines(s, 1000, 200, 10);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(`${shortDigest(d('a'))} [##########..........] 512.0 KiB/1.0 MiB 512.0 KiB/s ETA 0:01`);
    expect(lines[4]).toMatch(/^total \[#{1,3}\.+\] 0\/4 blobs 512\.0 KiB\/4\.0 MiB/);
    const small = renderLines(s, 1000, 30, 3);
    expect(small).toHaveLength(3);
    expect(small[1]).toBe('… 3 more in flight');
    expect(small.every((l) => l.length <= 30)).toBe(true);
  });

  it('formats durations and estimates', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatEta(1000, 0, 1000)).toBe('-');
    expect(formatEta(1000, 500, 1000)).toBe('0:02');
  });

  it('summarises a copy in a few lines, saying when the digest changed and why', () => {
    const text = formatSummary({
      source: 'docker://a/x:1',
      destination: 'docker://b/x:1',
      digest: d('1'),
      mediaType: 'application/vnd.oci.image.index.v1+json',
      sourceDigest: d('2'),
      rewritten: 'platform-subset',
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      blobs: { total: 4, copied: 2, skipped: 1, mounted: 1 },
      bytes: { total: 4096, moved: 2048 },
      manifests: 3,
      upToDate: false,
      durationMs: 1500,
      notes: ['a note'],
    });
    expect(text.split('\n')).toEqual([
      'Copied: docker://a/x:1 -> docker://b/x:1',
      `Digest: ${d('1')} (source ${d('2')}, rewritten: platform-subset)`,
      '4 blobs: 2 copied, 1 skipped, 1 mounted; 2.0 KiB moved of 4.0 KiB in 1.5 s',
      'Platforms: linux/amd64, linux/arm64/v8',
      'Note: a note',
    ]);
  });
});
