import { Text } from 'ink';
import { useUi } from '../state/context.js';
import { fit } from './columns.js';

/** The bottom line: the last error or notice (always one line), else the keys everyone needs. */
export function StatusBar({ width }: { width: number }) {
  const kind = useUi((s) => s.status?.kind);
  const text = useUi((s) => s.status?.text);
  if (kind === 'error') return <Text color="red">{fit(`error: ${text}`, width)}</Text>;
  if (kind === 'info') return <Text color="green">{fit(text ?? '', width)}</Text>;
  return <Text dimColor>{fit('? help   Esc back   q quit', width)}</Text>;
}
