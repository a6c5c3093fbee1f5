import type { CopyEvent, CopySummary } from '@nextdeploy/core';
import type { CommandContext } from '../../context.js';
import { copyWithContext } from '../../progress/transfer.js';

/** Runs one copy exactly as the `copy` command does (whole image, default jobs), reporting to the screen. */
export function startCopy(
  context: CommandContext,
  source: string,
  destination: string,
  onEvent: (event: CopyEvent) => void,
  signal: AbortSignal,
): Promise<CopySummary> {
  return copyWithContext(context, { source, destination, platforms: [] }, onEvent, signal);
}
