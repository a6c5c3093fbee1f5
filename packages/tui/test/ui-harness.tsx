import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { App } from '../src/ui/App.js';
import { createUiServices } from '../src/ui/services.js';
import { createUiStore, type UiStore } from '../src/ui/state/store.js';

/** Keys as a terminal sends them. */
export const KEY = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  tab: '\t',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

export interface UiHarness {
  store: UiStore;
  frame(): string;
  /** Types keys one write at a time, as a person would, letting ink process each. */
  press(...keys: string[]): Promise<void>;
  /** Polls the frame until `test` passes; fails with the last frame so a broken screen is visible. */
  waitFor(test: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

/**
 * Renders the real App over the real command context. DOCKER_CONFIG and XDG_CONFIG_HOME must point
 * at temp dirs before this is called so the machine's own logins and config are never read.
 */
export function renderUi(): UiHarness {
  const controller = new AbortController();
  const store = createUiStore();
  const services = createUiServices({ insecure: false, insecureRegistry: [], debug: false }, controller.signal, (line) => store.getState().showInfo(line));
  const app = render(<App store={store} services={services} />);
  const frame = (): string => app.lastFrame() ?? '';
  return {
    store,
    frame,
    async press(...keys) {
      for (const key of keys) {
        app.stdin.write(key);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    async waitFor(test, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (test(frame())) return frame();
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
    },
    unmount() {
      controller.abort();
      app.unmount();
    },
  };
}

/** A private XDG_CONFIG_HOME, so no global .nextdeployrc of the machine is picked up. */
export function isolateConfigHome(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'nextdeploy-ui-xdg-'));
  const before = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = dir;
  return () => {
    if (before === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
