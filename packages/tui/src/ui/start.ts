import type { GlobalOptions } from '../program/globals.js';
import { enterAlternateScreen } from './terminal/alternate-screen.js';
import { loadInk } from './load-ink.js';

/**
 * Switches the terminal over before ink and react are loaded (that alone takes a second or more
 * on a busy machine): the user sees the UI's screen at once, and raw mode keeps keys typed in the
 * meantime from being echoed over it; they are read by the UI once it is up.
 */
export async function startUi(globals: GlobalOptions): Promise<void> {
  const screen = enterAlternateScreen(process.stdout);
  process.stdout.write('nextdeploy-tui: starting…');
  process.stdin.setRawMode(true);
  // ink renders nothing until exit when CI/CONTINUOUS_INTEGRATION is set (it reads them once, on
  // import). We only get here with a terminal on both ends, so a person is watching: draw.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    await loadInk();
    const { runUi } = await import('./run.js');
    // ink draws from where the cursor is: clear the "starting" line and go home first.
    process.stdout.write('\x1b[2J\x1b[H');
    await runUi({ globals });
  } finally {
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    screen.restore();
  }
}
