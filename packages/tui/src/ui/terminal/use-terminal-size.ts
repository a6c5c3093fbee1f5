import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

function measure(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/**
 * ink 6.8 does not re-render on resize; this does, by listening to the stream's 'resize'. The
 * screen is cleared first: the terminal has already reflowed or scrolled the old frame, and ink,
 * which erases only the lines it thinks it wrote, would leave pieces of it or draw off the top.
 */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => measure(stdout));
  useEffect(() => {
    const onResize = (): void => {
      stdout.write('\x1b[2J\x1b[H');
      setSize(measure(stdout));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
