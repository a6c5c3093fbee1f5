import type { Key } from 'ink';
import type { KeyName } from './bindings.js';

/** One key press: its name in the key table (if it has one) and the text it types (if any). */
export interface KeyEvent {
  name: KeyName | undefined;
  text: string;
}

/**
 * Turns ink's (input, key) pair into key events. ink hands over a run of plain characters as one
 * string (a paste, keys typed while the UI was starting, `tmux send-keys j Enter`), so such a run
 * is split into one event per character: "j\r" is a move and an Enter, not a word.
 */
export function keyEvents(input: string, key: Key): KeyEvent[] {
  const single = namedKey(input, key);
  if (single !== undefined || input.length <= 1 || input.includes('\x1b')) {
    return [{ name: single ?? (input.length > 0 && !key.ctrl && !key.meta ? input : undefined), text: printable(input, key) }];
  }
  return [...input].map(characterEvent);
}

/** Keys ink recognised itself. Terminals send DEL (0x7f) for Backspace; ink calls that `delete`. */
function namedKey(input: string, key: Key): KeyName | undefined {
  if (key.ctrl && input === 'c') return 'ctrl+c';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  return undefined;
}

function characterEvent(ch: string): KeyEvent {
  switch (ch) {
    case '\r':
    case '\n':
      return { name: 'enter', text: '' };
    case '\t':
      return { name: 'tab', text: '' };
    case '\x7f':
    case '\b':
      return { name: 'backspace', text: '' };
    case '\x03':
      return { name: 'ctrl+c', text: '' };
    default:
      return ch < ' ' ? { name: undefined, text: '' } : { name: ch, text: ch };
  }
}

/** Text a key adds to a field: printable characters only. */
function printable(input: string, key: Key): string {
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.backspace || key.delete) return '';
  return input.replace(/[\u0000-\u001f\u007f]/g, '');
}
