const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1234567` -> `1.2 MiB`; exact bytes stay available in --json output. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
