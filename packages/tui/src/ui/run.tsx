import { render } from 'ink';
import type { GlobalOptions } from '../program/globals.js';
import { App } from './App.js';
import { createUiServices } from './services.js';
import { createUiStore } from './state/store.js';

export interface RunUiOptions {
  globals: GlobalOptions;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** Signals that end the UI from outside (kill, closed terminal); the screen is restored first. */
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs the full-screen UI until the user quits; every request in flight is aborted on the way out.
 * The caller owns the alternate screen (`startUi`), so it is entered before this module loads ink.
 */
export async function runUi({ globals, stdin = process.stdin, stdout = process.stdout }: RunUiOptions): Promise<void> {
  const controller = new AbortController();
  const store = createUiStore();
  // Warnings (and --debug lines) would scribble over the frame; the status bar shows the latest.
  const services = createUiServices(globals, controller.signal, (line) => store.getState().showInfo(line));
  const instance = render(<App store={store} services={services} />, { stdin, stdout, exitOnCtrlC: false, patchConsole: true });
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalled = signal;
    instance.unmount();
  };
  for (const s of EXIT_SIGNALS) process.on(s, onSignal);
  try {
    await instance.waitUntilExit();
  } finally {
    for (const s of EXIT_SIGNALS) process.off(s, onSignal);
    controller.abort();
    instance.cleanup();
    await services.settle();
  }
  // An AbortError, so the CLI reports "interrupted" with its exit code once the screen is restored.
  if (signalled) throw Object.assign(new Error(`interrupted (${signalled})`), { name: 'AbortError' });
}
