import { writeSync } from 'node:fs';

const ENTER = '\x1b[?1049h\x1b[H';
/** Leave the alternate screen and show the cursor again (ink hides it while it runs). */
const LEAVE = '\x1b[?1049l\x1b[?25h';

/**
 * Switches to the alternate screen (ink 6.8 has no option for it) and guarantees the switch back:
 * on a normal return, on process exit, and on a crash, so the user's shell is never left on a
 * blank, cursorless screen. `restore()` is idempotent.
 */
export function enterAlternateScreen(stdout: NodeJS.WriteStream): { restore: () => void } {
  let active = true;
  const restore = (): void => {
    if (!active) return;
    active = false;
    process.off('exit', restore);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    // Synchronous: on 'exit' and after a crash there is no event loop left to flush a stream write.
    if (stdout === process.stdout) writeSync(1, LEAVE);
    else stdout.write(LEAVE);
  };
  const onCrash = (err: unknown): void => {
    restore();
    process.stderr.write(`nextdeploy-tui: error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  process.on('exit', restore);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  stdout.write(ENTER);
  return { restore };
}
