import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginFieldsFor } from '@nextdeploy/core';
import { createConfiguredKeychain, loadNextdeployConfig } from '../src/config/index.js';
import type { GlobalOptions } from '../src/program/globals.js';
import { KEY, uiTestEnvironment, type UiHarness } from './ui-harness.js';

const env = uiTestEnvironment({ auth: 'htpasswd' });

let ui: UiHarness | undefined;

const WRONG = 'not-the-password-4711';

async function openLoginForm(h: UiHarness): Promise<void> {
  await h.waitFor((f) => f.includes('add registry…') && !f.includes('loading'), 'the registry list');
  await h.press('G', KEY.enter); // "add registry…" is always the last row
  await h.waitFor((f) => f.includes('Log in to a registry'), 'the login form');
  await h.press(env.reg.host, KEY.enter, 'alice', KEY.enter);
}

describe('login screen', () => {
  it('shows one error line for a wrong password and writes nothing', async () => {
    const before = existsSync(env.docker.configPath) ? readFileSync(env.docker.configPath, 'utf8') : undefined;
    ui = env.render();
    await openLoginForm(ui);
    await ui.press(WRONG);
    const masked = await ui.waitFor((f) => f.includes('•'.repeat(WRONG.length)), 'the masked password');
    expect(masked).not.toContain(WRONG);
    await ui.press(KEY.enter);
    const frame = await ui.waitFor((f) => f.includes('error:'), 'the error line');

    const errorLines = frame.split('\n').filter((l) => l.includes('error:'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/login failed: the registry rejected the credentials for "alice"/);
    expect(frame).not.toContain(WRONG);
    expect(ui.store.getState().stack.at(-1)?.route.screen).toBe('login');
    expect(existsSync(env.docker.configPath) ? readFileSync(env.docker.configPath, 'utf8') : undefined).toBe(before);
  });

  it('keys typed right after Enter land in the next field, so a password never shows in the username', async () => {
    ui = env.render();
    await ui.waitFor((f) => f.includes('add registry…') && !f.includes('loading'), 'the registry list');
    await ui.press('G', KEY.enter);
    await ui.waitFor((f) => f.includes('Log in to a registry'), 'the login form');
    ui.pressAtOnce(env.reg.host, KEY.enter, 'alice', KEY.enter, WRONG);
    const frame = await ui.waitFor((f) => f.includes('•'.repeat(WRONG.length)), 'the masked password');
    expect(frame).toMatch(/Username:\s+alice\n/);
    expect(frame).not.toContain(WRONG.slice(0, 3));
  });

  it('saves the right password through the login command and shows the registry as logged in', async () => {
    ui = env.render();
    await openLoginForm(ui);
    await ui.press(env.reg.users.alice!, KEY.enter);
    const frame = await ui.waitFor((f) => f.includes('Login succeeded') && f.includes('logged in as alice'), 'the saved login');
    expect(frame).not.toContain(env.reg.users.alice!);
    const saved = (await env.docker.read()) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(saved.auths[env.reg.host]!.auth, 'base64').toString()).toBe(`alice:${env.reg.users.alice}`);
  });

  it('adds a host without credentials for anonymous browsing', async () => {
    ui = env.render();
    await ui.waitFor((f) => f.includes('add registry…') && !f.includes('loading'), 'the registry list');
    await ui.press('G', KEY.enter);
    await ui.waitFor((f) => f.includes('Log in to a registry'), 'the login form');
    await ui.press('registry.example.test', KEY.enter, KEY.enter, KEY.enter);
    await ui.waitFor((f) => f.includes('added registry.example.test') && /registry\.example\.test\s+not logged in/.test(f), 'the added host');
    expect(ui.store.getState().addedRegistries).toEqual(['registry.example.test']);
  });

  it('labels the fields as the provider plugin for the typed host asks', async () => {
    ui = env.render();
    await ui.waitFor((f) => f.includes('add registry…') && !f.includes('loading'), 'the registry list');
    await ui.press('G', KEY.enter);
    await ui.waitFor((f) => f.includes('Log in to a registry') && f.includes('Password:'), 'the plain form');
    await ui.press('ghcr.io');
    const frame = await ui.waitFor((f) => f.includes('Personal access token'), 'the GHCR labels of the basic provider');
    expect(frame).toContain('Docker Hub, GHCR, DigitalOcean');
    await ui.press(KEY.esc);
    await ui.waitFor((f) => f.includes('› registries'), 'back without saving');
    expect(existsSync(env.docker.configPath) ? JSON.stringify(await env.docker.read()) : '').not.toContain('ghcr.io');
  });
});

const exampleDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/nextdeploy-provider-example');

describe('login form provider', () => {
  let scratch: string;
  let config: string;
  let vaultFile: string;
  beforeAll(() => {
    // turbo builds the example before tui's tests (it is a devDependency); say so if run by hand without it
    expect(existsSync(join(exampleDir, 'dist/index.js')), 'run `pnpm --filter nextdeploy-provider-example build` first').toBe(true);
    scratch = mkdtempSync(join(tmpdir(), 'nd-ui-login-provider-'));
    vaultFile = join(scratch, 'vault.json');
    writeFileSync(vaultFile, '{}');
    config = join(scratch, '.nextdeployrc.yaml');
    // ghcr.io is claimed by the built-in basic provider's matches(), so a form labelled by the example
    // plugin there can only come from the keychain's own order (profile, forced type) winning over it
    writeFileSync(
      config,
      [
        'plugins:',
        `  - ${JSON.stringify(exampleDir)}`,
        'profiles:',
        '  ghcr-vault:',
        '    provider: example',
        '    registry: ghcr.io',
        `    vaultFile: ${JSON.stringify(vaultFile)}`,
        '  anywhere:',
        '    provider: example',
        `    vaultFile: ${JSON.stringify(vaultFile)}`,
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** What the commands' keychain, built apart from the UI from the same file and flags, would use for `host`. */
  async function keychainChoice(flags: Partial<GlobalOptions>, host: string) {
    const loaded = await loadNextdeployConfig({ configFile: config });
    const { keychain } = createConfiguredKeychain(loaded, {
      ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
      ...(flags.registryType !== undefined ? { registryType: flags.registryType } : {}),
    });
    const plugin = keychain.providerFor(host)?.plugin;
    expect(plugin, `the keychain has a provider for ${host}`).toBeDefined();
    return plugin!;
  }

  async function expectFormOf(flags: Partial<GlobalOptions>, host: string): Promise<void> {
    const plugin = await keychainChoice(flags, host);
    // the case is only worth testing where the keychain's order overrides the plugin matching the host
    expect(plugin.meta.name).toBe('example');
    const label = (name: string) => loginFieldsFor(plugin, host).find((f) => f.name === name)!.label;

    ui = env.render({ config, ...flags });
    await ui.waitFor((f) => f.includes('add registry…') && !f.includes('loading'), 'the registry list');
    await ui.press('G', KEY.enter);
    await ui.waitFor((f) => f.includes('Log in to a registry'), 'the login form');
    await ui.press(host);
    await ui.waitFor(
      (f) => f.includes(`— ${plugin.displayName!}`) && f.includes(`${label('username')}:`) && f.includes(`${label('password')}:`),
      `the labels of ${plugin.meta.name} for ${host}`,
    );
  }

  it("uses the provider of the host's profile over a plugin that claims the host", async () => {
    await expectFormOf({}, 'ghcr.io');
  });

  it('uses the provider forced with -r over a plugin that claims the host', async () => {
    const before = process.env.EXAMPLE_VAULT_FILE;
    // a forced provider runs without a profile, so its required option comes from the environment
    process.env.EXAMPLE_VAULT_FILE = vaultFile;
    try {
      await expectFormOf({ registryType: 'example' }, 'docker.io');
    } finally {
      if (before === undefined) delete process.env.EXAMPLE_VAULT_FILE;
      else process.env.EXAMPLE_VAULT_FILE = before;
    }
  });

  it('uses the provider of --profile for a host no profile names', async () => {
    await expectFormOf({ profile: 'anywhere' }, 'docker.io');
  });
});
