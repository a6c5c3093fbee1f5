import { Box, Text } from 'ink';
import { activeBindings, keysLabel, type Focus } from '../keys/bindings.js';
import type { ScreenId } from '../state/routes.js';

/** Generated from the key table: the rows in force on this screen in this focus, nothing else. */
export function HelpOverlay({ screen, focus, height }: { screen: ScreenId; focus: Exclude<Focus, 'help'>; height: number }) {
  const rows = activeBindings(screen, focus).map((b) => ({ ...b, label: keysLabel(b) }));
  const width = Math.max(...rows.map((r) => r.label.length));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height}>
      <Text bold>Keys on the {screen} screen{focus === 'browse' ? '' : ` (${focus})`}</Text>
      {rows.map((r) => (
        <Text key={`${r.action}:${r.label}`} wrap="truncate">
          <Text color="cyan">{r.label.padEnd(width)}</Text>  {r.description}
        </Text>
      ))}
      <Text dimColor>? or Esc closes this help</Text>
    </Box>
  );
}
