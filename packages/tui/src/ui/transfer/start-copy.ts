import { TransportPool, copyImage, openDestination, openSource, type CopyEvent, type CopySummary } from '@nextdeploy/core';
import type { CommandContext } from '../../context.js';

/**
 * Runs one copy with the CLI's transport settings: both ends share a transport pool (tokens and
 * connections), as `copy` does, and the pool is closed whatever happens.
 */
export async function startCopy(
  context: CommandContext,
  source: string,
  destination: string,
  onEvent: (event: CopyEvent) => void,
  signal: AbortSignal,
): Promise<CopySummary> {
  const transports = new TransportPool((registry) => context.transportOptionsFor(registry));
  try {
    return await copyImage(openSource(source, { transports }), openDestination(destination, { transports }), { signal, onEvent });
  } finally {
    await transports.close();
  }
}
