/**
 * Exits once stdout and stderr have drained. Waiting matters for a large `--raw` manifest going to a
 * pipe; exiting explicitly matters because idle keep-alive sockets would otherwise hold the process open.
 */
export async function flushAndExit(code: number): Promise<never> {
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  process.exit(code);
}

function drain(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  // An empty write's callback runs after everything queued before it has been handed to the OS.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** A reader that went away (`nextdeploy-tui tags … | head`) is not an error worth a stack trace. */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
