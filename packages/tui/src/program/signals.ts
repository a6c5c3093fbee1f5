import { PROGRAM_NAME } from './report-error.js';
import { ExitCode } from './exit-codes.js';

/**
 * Ctrl-C aborts the signal every request carries, so a command unwinds through its own cleanup
 * (temp files removed, nothing half-written). A second Ctrl-C exits at once for the impatient.
 */
export function abortOnInterrupt(controller: AbortController, stderr: NodeJS.WritableStream = process.stderr): () => void {
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      stderr.write(`${PROGRAM_NAME}: error: interrupted\n`);
      process.exit(ExitCode.INTERRUPTED);
    }
    controller.abort(new InterruptedError());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** The abort reason: an AbortError by name, so every layer recognises it, with a message fit to print. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'AbortError';
  }
}
