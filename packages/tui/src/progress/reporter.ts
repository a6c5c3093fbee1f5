import type { CopyEvent } from '@nextdeploy/core';

/** Shows a transfer as it happens; `stop()` leaves the output ready for the summary. */
export interface Reporter {
  onEvent(event: CopyEvent): void;
  stop(): void;
}
