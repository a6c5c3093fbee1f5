import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Parses `500ms`, `2s`, `1.5s`, `1m`, `1h` into milliseconds. A bare number is refused rather than
 * guessed at: `--retry-delay 2` could mean seconds or milliseconds, and a wrong guess is a 1000x error.
 */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!m) {
    throw new InvalidArgumentError(`"${value}" is not a duration: write a number and a unit, e.g. 500ms, 2s, 1m`);
  }
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(ms);
}
