/** Medians and human units shared by the cases and the final table. */

export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function fmtSeconds(s) {
  return Number.isFinite(s) ? `${s.toFixed(3)} s` : '-';
}

export function fmtBytes(n) {
  if (!Number.isFinite(n)) return '-';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export function fmtSizeLabel(layers, layerSize) {
  return `${layers}x${fmtBytes(layerSize).replace(/\.0 /, '').replace(' ', '')}`;
}
