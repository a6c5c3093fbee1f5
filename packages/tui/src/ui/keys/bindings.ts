import type { ScreenId } from '../state/routes.js';

/**
 * What the keyboard is talking to right now. `browse`: the screen's own keys; `typing`: a text
 * field has the keys (printable characters go into it, so no letter may be bound there);
 * `confirm`: a yes/no dialog; `help`: the help overlay.
 */
export type Focus = 'browse' | 'typing' | 'confirm' | 'help';

/** Normalised key names produced by `keyName()`: a printable character, or one of these. */
export type KeyName =
  | 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end'
  | 'enter' | 'esc' | 'tab' | 'shift+tab' | 'backspace' | 'ctrl+c'
  | (string & {});

export type ActionId =
  | 'app.quit' | 'app.back' | 'app.help' | 'help.close'
  | 'list.up' | 'list.down' | 'list.pageUp' | 'list.pageDown' | 'list.top' | 'list.bottom' | 'list.open' | 'list.filter'
  | 'text.accept' | 'text.cancel' | 'text.backspace'
  | 'form.next' | 'form.previous'
  | 'registry.login' | 'view.reload'
  | 'image.delete' | 'image.copy'
  | 'confirm.yes' | 'confirm.no'
  | 'transfer.cancel';

export interface KeyBinding {
  keys: readonly KeyName[];
  description: string;
  /** Screens the row applies to; rows naming a screen win over `any` rows for the same key. */
  screens: readonly ScreenId[] | 'any';
  when: Focus;
  action: ActionId;
}

const LISTS: readonly ScreenId[] = ['registries', 'repositories', 'tags', 'manifest'];
const FILTERABLE: readonly ScreenId[] = ['registries', 'repositories', 'tags'];
const IMAGES: readonly ScreenId[] = ['tags', 'manifest'];

/**
 * THE key table: input dispatch and the `?` overlay both read it, so the help can never describe
 * a key that does something else (the k9s / gemini-cli approach).
 */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['up', 'k'], description: 'move up', screens: LISTS, when: 'browse', action: 'list.up' },
  { keys: ['down', 'j'], description: 'move down', screens: LISTS, when: 'browse', action: 'list.down' },
  { keys: ['pageup'], description: 'page up', screens: LISTS, when: 'browse', action: 'list.pageUp' },
  { keys: ['pagedown'], description: 'page down', screens: LISTS, when: 'browse', action: 'list.pageDown' },
  { keys: ['home', 'g'], description: 'first row', screens: LISTS, when: 'browse', action: 'list.top' },
  { keys: ['end', 'G'], description: 'last row', screens: LISTS, when: 'browse', action: 'list.bottom' },
  { keys: ['enter'], description: 'open the selected registry', screens: ['registries'], when: 'browse', action: 'list.open' },
  { keys: ['enter'], description: 'show the tags of the selected repository', screens: ['repositories'], when: 'browse', action: 'list.open' },
  { keys: ['enter'], description: 'show the manifest of the selected tag', screens: ['tags'], when: 'browse', action: 'list.open' },
  { keys: ['enter'], description: 'open the selected platform\'s manifest', screens: ['manifest'], when: 'browse', action: 'list.open' },
  { keys: ['/'], description: 'filter the list', screens: FILTERABLE, when: 'browse', action: 'list.filter' },
  { keys: ['l'], description: 'log in to the selected registry', screens: ['registries'], when: 'browse', action: 'registry.login' },
  { keys: ['r'], description: 'reload', screens: ['registries', 'repositories', 'tags', 'manifest'], when: 'browse', action: 'view.reload' },
  { keys: ['d'], description: 'delete the image (asks first)', screens: IMAGES, when: 'browse', action: 'image.delete' },
  { keys: ['c'], description: 'copy the image somewhere else', screens: IMAGES, when: 'browse', action: 'image.copy' },
  { keys: ['esc', 'ctrl+c'], description: 'cancel the copy, or go back once it is over', screens: ['transfer'], when: 'browse', action: 'transfer.cancel' },
  { keys: ['esc'], description: 'go back', screens: 'any', when: 'browse', action: 'app.back' },
  { keys: ['?'], description: 'show this help', screens: 'any', when: 'browse', action: 'app.help' },
  { keys: ['q', 'ctrl+c'], description: 'quit', screens: 'any', when: 'browse', action: 'app.quit' },

  { keys: ['enter'], description: 'keep the filter', screens: FILTERABLE, when: 'typing', action: 'text.accept' },
  { keys: ['esc'], description: 'clear the filter', screens: FILTERABLE, when: 'typing', action: 'text.cancel' },
  { keys: ['tab', 'down'], description: 'next field', screens: ['login'], when: 'typing', action: 'form.next' },
  { keys: ['shift+tab', 'up'], description: 'previous field', screens: ['login'], when: 'typing', action: 'form.previous' },
  { keys: ['enter'], description: 'verify the credentials and save them', screens: ['login'], when: 'typing', action: 'text.accept' },
  { keys: ['esc'], description: 'go back without saving', screens: ['login'], when: 'typing', action: 'app.back' },
  { keys: ['enter'], description: 'start the copy', screens: ['transfer'], when: 'typing', action: 'text.accept' },
  { keys: ['esc'], description: 'go back', screens: ['transfer'], when: 'typing', action: 'app.back' },
  { keys: ['backspace'], description: 'delete a character', screens: 'any', when: 'typing', action: 'text.backspace' },
  { keys: ['ctrl+c'], description: 'quit', screens: 'any', when: 'typing', action: 'app.quit' },

  { keys: ['y'], description: 'yes, do it', screens: 'any', when: 'confirm', action: 'confirm.yes' },
  { keys: ['n', 'esc'], description: 'no, keep it', screens: 'any', when: 'confirm', action: 'confirm.no' },
  { keys: ['ctrl+c'], description: 'quit', screens: 'any', when: 'confirm', action: 'app.quit' },

  { keys: ['?', 'esc', 'q'], description: 'close this help', screens: 'any', when: 'help', action: 'help.close' },
  { keys: ['ctrl+c'], description: 'quit', screens: 'any', when: 'help', action: 'app.quit' },
];

function applies(binding: KeyBinding, screen: ScreenId): boolean {
  return binding.screens === 'any' || binding.screens.includes(screen);
}

/**
 * The rows in force on `screen` with `focus`, screen-specific rows first: what `?` lists. A general
 * row loses the keys a specific row takes (on the transfer screen ^C cancels rather than quits),
 * and disappears when it has none left, so the overlay never shows a key doing two things.
 */
export function activeBindings(screen: ScreenId, focus: Focus, table: readonly KeyBinding[] = KEY_BINDINGS): KeyBinding[] {
  const rows = table.filter((b) => b.when === focus && applies(b, screen));
  const specific = rows.filter((b) => b.screens !== 'any');
  const taken = new Set(specific.flatMap((b) => b.keys));
  const general = rows
    .filter((b) => b.screens === 'any')
    .map((b) => ({ ...b, keys: b.keys.filter((k) => !taken.has(k)) }))
    .filter((b) => b.keys.length > 0);
  return [...specific, ...general];
}

const KEY_LABELS: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
  enter: 'Enter', esc: 'Esc', tab: 'Tab', 'shift+tab': 'S-Tab', backspace: 'Backspace', 'ctrl+c': '^C',
};

/** How a row's keys read in the help overlay, e.g. `↑ k`, `Esc ^C`. */
export function keysLabel(binding: KeyBinding): string {
  return binding.keys.map((k) => KEY_LABELS[k] ?? k).join(' ');
}

/** The row a key triggers, or undefined (then, while typing, the key is text for the field). */
export function bindingFor(screen: ScreenId, focus: Focus, key: KeyName, table: readonly KeyBinding[] = KEY_BINDINGS): KeyBinding | undefined {
  return activeBindings(screen, focus, table).find((b) => b.keys.includes(key));
}
