/** Fits `text` into `width` cells: padded, or cut with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text.padEnd(width);
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/**
 * Lays cells out in columns: every column but the last gets its width, the last takes what is
 * left of `total`, so rows never wrap (a wrapped row would push the status bar off screen).
 */
export function row(cells: readonly string[], widths: readonly number[], total: number): string {
  const fixed = widths.slice(0, cells.length - 1);
  const used = fixed.reduce((sum, w) => sum + w + 1, 0);
  const last = Math.max(0, total - used);
  return cells.map((cell, i) => (i < fixed.length ? fit(cell, fixed[i]!) : fit(cell, last))).join(' ');
}

export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}
