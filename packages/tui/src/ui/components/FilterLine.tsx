import { Text } from 'ink';
import { currentEntry } from '../state/store.js';
import { useUi } from '../state/context.js';

/** `/text▏` while typing, `filter: text` once kept, a dim count otherwise. */
/** `noun` is the plural shown after the count, e.g. `tags`. */
export function FilterLine({ shown, total, loading, noun }: { shown: number; total: number; loading: boolean; noun: string }) {
  const filter = useUi((s) => currentEntry(s).filter);
  const typing = useUi((s) => s.focus === 'typing');
  const count = `${shown === total ? total : `${shown} of ${total}`} ${noun}${loading ? ' (loading…)' : ''}`;
  if (typing) return <Text color="cyan">/{filter}▏</Text>;
  if (filter) return <Text color="cyan">filter: {filter}   <Text dimColor>{count}</Text></Text>;
  return <Text dimColor>{count}</Text>;
}
