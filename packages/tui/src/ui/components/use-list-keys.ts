import { useActions } from '../keys/actions.js';
import { currentEntry } from '../state/store.js';
import { useUi, useUiStore } from '../state/context.js';

/**
 * Cursor movement over `count` rows, stored in the navigation entry so going back restores it.
 * Returns the cursor clamped to the rows that exist now (a filter may have shrunk the list).
 */
export function useListKeys(count: number, pageSize: number, onOpen: (index: number) => void): number {
  const store = useUiStore();
  const stored = useUi((s) => currentEntry(s).cursor);
  const cursor = Math.min(stored, Math.max(0, count - 1));
  const move = (to: number): void => store.getState().setCursor(Math.max(0, Math.min(count - 1, to)));
  useActions({
    'list.up': () => move(cursor - 1),
    'list.down': () => move(cursor + 1),
    'list.pageUp': () => move(cursor - pageSize),
    'list.pageDown': () => move(cursor + pageSize),
    'list.top': () => move(0),
    'list.bottom': () => move(count - 1),
    'list.open': () => {
      if (count > 0) onOpen(cursor);
    },
  });
  return cursor;
}
