import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRandomImage, skopeoOk, startRegistry, stopAll, tempDockerConfig, type TestRegistry } from '@nextdeploy/testkit';

/**
 * The built binary in a real terminal (tmux): alternate screen in and out, keys, resize, and the
 * screen restored when the process is killed. ink-testing-library cannot show any of that.
 */
const CLI = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const SOCKET = `nextdeploy-ui-${process.pid}`;
const run = promisify(execFile);

let reg: TestRegistry;
let docker: Awaited<ReturnType<typeof tempDockerConfig>>;
let digest: string;

function tmux(...args: string[]): Promise<{ stdout: string }> {
  return run('tmux', ['-L', SOCKET, ...args]);
}

async function capture(session: string): Promise<string> {
  return (await tmux('capture-pane', '-p', '-t', session)).stdout;
}

async function waitFor(session: string, test: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = await capture(session);
    if (test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
}

async function startSession(session: string): Promise<void> {
  const env = ['-e', `DOCKER_CONFIG=${docker.dir}`, '-e', `XDG_CONFIG_HOME=${docker.dir}`];
  // `before` marks the shell's own screen; it must be back, untouched, once the UI has gone.
  await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', ...env, `printf 'before-ui\\n'; node ${CLI}; echo "exit=$?"; sleep 120`);
}

beforeAll(async () => {
  reg = await startRegistry({ auth: 'htpasswd' });
  docker = await tempDockerConfig({ [reg.host]: { username: 'alice', password: reg.users.alice! } });
  digest = (await pushRandomImage(reg, 'term/app:v1')).digest;
});
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await docker.cleanup();
  await stopAll();
});

describe('in a real terminal', () => {
  it('browses to the manifest, follows a resize, and restores the shell screen on q', async () => {
    await startSession('browse');
    await waitFor('browse', (s) => s.includes('nextdeploy-tui › registries') && s.includes('logged in as alice'), 'the registries screen');
    await tmux('send-keys', '-t', 'browse', 'Enter');
    await waitFor('browse', (s) => s.includes('term/app'), 'the catalog');
    await tmux('send-keys', '-t', 'browse', 'Enter');
    await waitFor('browse', (s) => s.includes('term/app › tags') && /\bv1\b/.test(s), 'the tags');
    await tmux('send-keys', '-t', 'browse', 'Enter');
    let screen = await waitFor('browse', (s) => s.includes('Digest'), 'the manifest');
    const inspected = await skopeoOk(['inspect', '--tls-verify=false', '--creds', `alice:${reg.users.alice}`, `docker://${reg.host}/term/app:v1`]);
    expect((JSON.parse(inspected.stdout) as { Digest: string }).Digest).toBe(digest);
    expect(screen).toContain(digest);
    // the frame is one row short of the terminal (no flicker): the status bar sits on row 39 of 40
    expect(screen.split('\n').findIndex((l) => l.includes('? help'))).toBe(38);

    await tmux('resize-window', '-t', 'browse', '-x', '100', '-y', '30');
    // tmux keeps the bottom of the old 40-row frame on shrinking, so the status bar lands on row 29
    // before we redraw anything: wait for the header on row 1 too, which only a whole redraw puts there
    screen = await waitFor(
      'browse',
      (s) => s.split('\n')[0]!.includes('nextdeploy-tui › ') && s.split('\n').findIndex((l) => l.includes('? help')) === 28,
      'the frame redrawn whole for 30 rows',
    );
    expect(screen).toContain(digest);

    await tmux('send-keys', '-t', 'browse', 'q');
    screen = await waitFor('browse', (s) => s.includes('exit=0'), 'the process to end');
    expect(screen).toContain('before-ui');
    expect(screen).not.toContain('nextdeploy-tui ›');
  });

  it('restores the shell screen when the process is killed with SIGTERM', async () => {
    await startSession('killed');
    await waitFor('killed', (s) => s.includes('nextdeploy-tui › registries'), 'the registries screen');
    const shell = (await tmux('list-panes', '-t', 'killed', '-F', '#{pane_pid}')).stdout.trim();
    const node = (await run('pgrep', ['-P', shell])).stdout.trim().split('\n')[0]!;
    process.kill(Number(node), 'SIGTERM');
    const screen = await waitFor('killed', (s) => /exit=\d+/.test(s), 'the process to end');
    expect(screen).toContain('nextdeploy-tui: error: interrupted');
    expect(screen).toContain('exit=130');
    expect(screen).toContain('before-ui');
    expect(screen).not.toContain('nextdeploy-tui ›');
  });
});
