import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
