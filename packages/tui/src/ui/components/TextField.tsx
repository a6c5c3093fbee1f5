import { Text } from 'ink';

/** One labelled field; a secret shows one `•` per character and nothing else of the value. */
export function TextField({ label, value, focused, secret, width }: { label: string; value: string; focused: boolean; secret?: boolean; width: number }) {
  const shown = secret ? '•'.repeat(value.length) : value;
  return (
    <Text wrap="truncate">
      <Text bold={focused} color={focused ? 'cyan' : undefined}>{`${focused ? '›' : ' '} ${label}: `.padEnd(Math.min(width, 40))}</Text>
      {shown}
      {focused ? <Text inverse> </Text> : null}
    </Text>
  );
}
