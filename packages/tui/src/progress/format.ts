import { formatSize } from '../output/size.js';

/** `sha256:0123456789ab`: enough of a digest to tell blobs apart on one line. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.slice(0, colon + 13);
}

export function formatBar(fraction: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** `45.1 MiB/s`; nothing sensible before any time has passed. */
export function formatSpeed(bytes: number, ms: number): string {
  if (ms <= 0) return '-';
  return `${formatSize(Math.round((bytes * 1000) / ms))}/s`;
}

/** `1:05` remaining at the current rate, `-` when unknown. */
export function formatEta(remaining: number, bytes: number, ms: number): string {
  if (bytes <= 0 || ms <= 0) return '-';
  const seconds = Math.ceil((remaining * ms) / bytes / 1000);
  return formatDuration(seconds * 1000);
}

/** `0:07`, `12:30`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** `2.1 s` or `340 ms` for summaries. */
export function formatElapsed(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
