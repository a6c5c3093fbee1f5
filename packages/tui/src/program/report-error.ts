export const PROGRAM_NAME = 'nextdeploy-tui';

/** Collapses a message to the single line the error contract promises, whatever the thrower did. */
export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ');
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  return String(err);
}

/**
 * Prints `nextdeploy-tui: error: <message>` as the only line on stderr. Under `--debug` the stack and
 * cause chain follow, since that is when someone is chasing a bug rather than reading the fix.
 */
export function reportError(err: unknown, debug: boolean, stderr: NodeJS.WritableStream = process.stderr): void {
  stderr.write(`${PROGRAM_NAME}: error: ${oneLine(errorMessage(err)) || 'unknown error'}\n`);
  if (!debug) return;
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current.stack) stderr.write(`${depth === 0 ? '' : 'caused by: '}${current.stack}\n`);
    current = current.cause;
  }
}

export function warn(message: string, stderr: NodeJS.WritableStream = process.stderr): void {
  stderr.write(`${PROGRAM_NAME}: warning: ${oneLine(message)}\n`);
}
