import { Box, Text } from 'ink';
import { fit } from './columns.js';

export interface ListViewProps {
  lines: readonly string[];
  cursor: number;
  /** Rows available, including the header. */
  height: number;
  width: number;
  header?: string;
  /** Shown instead of rows when there are none. */
  empty: string;
}

/** A window of `lines` that keeps the cursor visible; the selected row is drawn inverse. */
export function ListView({ lines, cursor, height, width, header, empty }: ListViewProps) {
  const visible = Math.max(1, height - (header ? 1 : 0));
  const first = Math.min(Math.max(0, cursor - visible + 1), Math.max(0, lines.length - visible));
  const start = cursor < first ? cursor : first;
  const shown = lines.slice(start, start + visible);
  return (
    <Box flexDirection="column" height={height}>
      {header ? <Text bold>{fit(header, width)}</Text> : null}
      {lines.length === 0 ? <Text dimColor>{empty}</Text> : null}
      {shown.map((line, i) => (
        <Text key={start + i} inverse={start + i === cursor} wrap="truncate">
          {fit(line, width)}
        </Text>
      ))}
    </Box>
  );
}
