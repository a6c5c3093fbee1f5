import { Box, Text } from 'ink';

/** A yes/no question; the keys are the table's `confirm` rows (y, n/Esc). */
export function ConfirmDialog({ question, detail }: { question: string; detail?: string }) {
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">{question}</Text>
      {detail ? <Text>{detail}</Text> : null}
      <Text>
        <Text color="cyan">y</Text> yes   <Text color="cyan">n</Text>/<Text color="cyan">Esc</Text> no
      </Text>
    </Box>
  );
}
