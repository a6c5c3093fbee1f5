import { useActions } from '../keys/actions.js';
import { currentEntry } from '../state/store.js';
import { useUi, useUiStore } from '../state/context.js';

/** Case-insensitive substring match, as k9s's `/` does. */
export function matchesFilter(text: string, filter: string): boolean {
  return filter === '' || text.toLowerCase().includes(filter.toLowerCase());
}

/** `/` starts typing a filter; Enter keeps it, Esc clears it. Returns the filter in force. */
export function useFilter(): string {
  const store = useUiStore();
  const filter = useUi((s) => currentEntry(s).filter);
  const typing = useUi((s) => s.focus === 'typing');
  const state = store.getState;
  useActions({
    'list.filter': () => state().setFocus('typing'),
    ...(typing
      ? {
          // the store's filter, not this render's: keys can arrive faster than renders
          'text.insert': (text: string) => state().setFilter(currentEntry(state()).filter + text),
          'text.backspace': () => state().setFilter(currentEntry(state()).filter.slice(0, -1)),
          'text.accept': () => state().setFocus('browse'),
          'text.cancel': () => {
            state().setFilter('');
            state().setFocus('browse');
          },
        }
      : {}),
  });
  return filter;
}
