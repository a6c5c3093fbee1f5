import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { render } from 'ink-testing-library';
import { startRegistry, stopAll, tempDockerConfig, type DockerAuthEntry, type DockerConfigExtras, type RegistryAuthMode, type TempDockerConfig, type TestRegistry } from '@nextdeploy/testkit';
import type { GlobalOptions } from '../src/program/globals.js';
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
  /** Writes every key at once, before the UI can render in between (a paste, a fast typist). */
  pressAtOnce(...keys: string[]): void;
  /** Polls the frame until `test` passes; fails with the last frame so a broken screen is visible. */
  waitFor(test: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

/**
 * Renders the real App over the real command context. DOCKER_CONFIG and XDG_CONFIG_HOME must point
 * at temp dirs before this is called so the machine's own logins and config are never read.
 */
export function renderUi(flags: Partial<GlobalOptions> = {}): UiHarness {
  const controller = new AbortController();
  const store = createUiStore();
  const services = createUiServices({ insecure: false, insecureRegistry: [], debug: false, ...flags }, controller.signal, (line) => store.getState().showInfo(line));
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
    pressAtOnce(...keys) {
      for (const key of keys) app.stdin.write(key);
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

export interface UiTestEnvironment {
  /** The file's registry (set once its beforeAll ran). */
  readonly reg: TestRegistry;
  /** The docker config.json the UI reads, via DOCKER_CONFIG. */
  readonly docker: TempDockerConfig;
  /** Renders the UI, with global flags (`--config`, `--profile`, `-r`) as the CLI would pass them; unmounted after each test. */
  render(flags?: Partial<GlobalOptions>): UiHarness;
}

/**
 * The isolation every UI test file needs, as hooks: a private XDG config home and docker config
 * (so the machine's own logins and .nextdeployrc never show), one registry for the file, the UI
 * unmounted after each test, and everything stopped and removed after the file.
 */
export function uiTestEnvironment(options: {
  auth: RegistryAuthMode;
  dockerConfig?: (reg: TestRegistry) => [Record<string, DockerAuthEntry>?, DockerConfigExtras?];
}): UiTestEnvironment {
  let reg: TestRegistry | undefined;
  let docker: TempDockerConfig | undefined;
  let restoreXdg: (() => void) | undefined;
  let current: UiHarness | undefined;
  beforeAll(async () => {
    restoreXdg = isolateConfigHome();
    reg = await startRegistry({ auth: options.auth });
    docker = await tempDockerConfig(...(options.dockerConfig?.(reg) ?? []));
    process.env.DOCKER_CONFIG = docker.dir;
  });
  afterEach(() => current?.unmount());
  afterAll(async () => {
    await docker?.cleanup();
    restoreXdg?.();
    await stopAll();
  });
  const ready = <T,>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only there once the file's beforeAll ran`);
    return value;
  };
  return {
    get reg() {
      return ready(reg, 'the registry');
    },
    get docker() {
      return ready(docker, 'the docker config');
    },
    render(flags) {
      current = renderUi(flags);
      return current;
    },
  };
}
