import { Box, Text } from 'ink';
import { formatSize } from '../../output/size.js';
import { formatBar, formatEta, formatSpeed, shortDigest } from '../../progress/format.js';
import type { TransferState } from '../../progress/progress-state.js';
import { fit } from '../components/columns.js';

/** The overall line, then one bar per blob in flight (as many as fit). */
export function TransferView({ state, now, width, height }: { state: TransferState; now: number; width: number; height: number }) {
  const elapsed = now - state.startedAt;
  const fraction = state.totalBytes > 0 ? state.doneBytes / state.totalBytes : 0;
  const overall = [
    formatBar(fraction, 30),
    `${Math.floor(fraction * 100)}%`.padStart(4),
    `${formatSize(state.doneBytes)} of ${formatSize(state.totalBytes)}`,
    `${state.finishedBlobs}/${state.totalBlobs} blobs`,
    formatSpeed(state.movedBytes, elapsed),
    `ETA ${formatEta(state.totalBytes - state.doneBytes, state.movedBytes, elapsed)}`,
  ].join('  ');
  const blobs = [...state.active.values()].slice(0, Math.max(0, height - 2));
  return (
    <Box flexDirection="column">
      <Text bold>{fit(overall, width)}</Text>
      <Text> </Text>
      {blobs.map((b) => (
        <Text key={b.digest}>
          {fit(`${shortDigest(b.digest)}  ${formatBar(b.size > 0 ? b.bytes / b.size : 0, 24)}  ${formatSize(b.bytes)} / ${formatSize(b.size)}  ${formatSpeed(b.bytes, now - b.startedAt)}`, width)}
        </Text>
      ))}
    </Box>
  );
}
