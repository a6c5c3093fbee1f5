import { describe, expect, it } from 'vitest';
import { activeBindings, bindingFor, KEY_BINDINGS, keysLabel, type KeyBinding } from '../src/ui/keys/bindings.js';
import { KEY, uiTestEnvironment, type UiHarness } from './ui-harness.js';

const env = uiTestEnvironment({ auth: 'none', dockerConfig: (reg) => [{}, { credHelpers: { [reg.host]: 'nextdeploy-test-none' } }] });

let ui: UiHarness | undefined;

/** The overlay's rows between its title and its closing hint, borders and padding folded away. */
function helpRows(frame: string): string[] {
  const lines = frame.split('\n').map((l) => l.replace(/[│╭╮╰╯─]/g, '').replace(/\s+/g, ' ').trim());
  const first = lines.findIndex((l) => l.startsWith('Keys on the'));
  const last = lines.findIndex((l) => l.startsWith('? or Esc closes'));
  return lines.slice(first + 1, last);
}

const asRow = (b: KeyBinding): string => `${keysLabel(b)} ${b.description}`.replace(/\s+/g, ' ');

describe('the key table', () => {
  it('binds no key twice in the same screen and focus', () => {
    const screens = ['registries', 'login', 'repositories', 'tags', 'manifest', 'transfer'] as const;
    for (const screen of screens) {
      for (const focus of ['browse', 'typing', 'confirm', 'help'] as const) {
        const keys = activeBindings(screen, focus).filter((b) => b.screens !== 'any').flatMap((b) => b.keys);
        expect(new Set(keys).size, `${screen}/${focus}`).toBe(keys.length);
      }
    }
    // no printable key may be bound while typing: it would never reach the field
    for (const b of KEY_BINDINGS.filter((row) => row.when === 'typing')) {
      expect(b.keys.every((k) => k.length > 1), b.description).toBe(true);
    }
    expect(bindingFor('transfer', 'browse', 'ctrl+c')?.action).toBe('transfer.cancel');
    // on the transfer screen the quit row keeps only q, so the overlay never shows ^C twice
    expect(activeBindings('transfer', 'browse').find((b) => b.action === 'app.quit')?.keys).toEqual(['q']);
    expect(bindingFor('tags', 'browse', 'ctrl+c')?.action).toBe('app.quit');
  });

  it('? lists exactly the rows of the key table for the screen, and closes again', async () => {
    ui = env.render();
    await ui.waitFor((f) => f.includes(env.reg.host) && f.includes('credential helper nextdeploy-test-none'), 'the registry list');
    await ui.press('?');
    let frame = await ui.waitFor((f) => f.includes('Keys on the registries screen'), 'the help overlay');
    expect(helpRows(frame)).toEqual(activeBindings('registries', 'browse').map(asRow));
    // the overlay hides the screen but keeps it: closing shows the same list without reloading
    await ui.press(KEY.esc);
    await ui.waitFor((f) => f.includes(env.reg.host) && !f.includes('Keys on'), 'the help closed');

    await ui.press(KEY.enter);
    await ui.waitFor((f) => f.includes('› repositories'), 'the repositories');
    await ui.press('?');
    frame = await ui.waitFor((f) => f.includes('Keys on the repositories screen'), 'the repositories help');
    expect(helpRows(frame)).toEqual(activeBindings('repositories', 'browse').map(asRow));
    expect(frame).not.toContain('delete the image');
    await ui.press('?');
    await ui.waitFor((f) => !f.includes('Keys on'), 'the help closed by ?');
    expect(ui.store.getState().stack).toHaveLength(2);
  });
});
