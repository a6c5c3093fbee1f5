import { InvalidArgumentError } from 'commander';

/** Parses a whole number >= 0, refusing `1.5`, `-1`, `3x` and empty strings that Number() would accept or mangle. */
export function parseNonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InvalidArgumentError(`"${value}" is not a whole number >= 0`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is too large`);
  return n;
}

/** Parses a whole number >= 1 (page sizes, counts where zero means nothing). */
export function parsePositiveInteger(value: string): number {
  const n = parseNonNegativeInteger(value);
  if (n === 0) throw new InvalidArgumentError(`"${value}" must be at least 1`);
  return n;
}
