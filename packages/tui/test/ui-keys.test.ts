import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { keyEvents } from '../src/ui/keys/key-name.js';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

describe('keyEvents', () => {
  it('names keys ink recognised, with Backspace arriving as DEL', () => {
    expect(keyEvents('', { ...none, upArrow: true })).toEqual([{ name: 'up', text: '' }]);
    expect(keyEvents('', { ...none, delete: true })).toEqual([{ name: 'backspace', text: '' }]);
    expect(keyEvents('c', { ...none, ctrl: true })).toEqual([{ name: 'ctrl+c', text: '' }]);
    expect(keyEvents('', { ...none, tab: true, shift: true })).toEqual([{ name: 'shift+tab', text: '' }]);
    expect(keyEvents('q', none)).toEqual([{ name: 'q', text: 'q' }]);
  });

  it('splits a run of characters into one event each', () => {
    expect(keyEvents('j\r', none)).toEqual([
      { name: 'j', text: 'j' },
      { name: 'enter', text: '' },
    ]);
    expect(keyEvents('ab\x7f\t\x03', none).map((e) => e.name)).toEqual(['a', 'b', 'backspace', 'tab', 'ctrl+c']);
    expect(keyEvents('p@ss', none).map((e) => e.text).join('')).toBe('p@ss');
  });
});
