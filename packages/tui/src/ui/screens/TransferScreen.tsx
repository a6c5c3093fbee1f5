import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { TRANSPORTS, isAbortError, parseTransportReference } from '@nextdeploy/core';
import { applyEvent, initialState, type TransferState } from '../../progress/progress-state.js';
import { formatSummary } from '../../progress/transfer.js';
import { useScreenSignal } from '../data/use-screen-signal.js';
import { TextField } from '../components/TextField.js';
import { useActions } from '../keys/actions.js';
import { useServices, useUiStore } from '../state/context.js';
import { startCopy } from '../transfer/start-copy.js';
import { TransferView } from '../transfer/TransferView.js';
import type { ScreenProps } from './screen-props.js';

type Phase = 'edit' | 'running' | 'done' | 'cancelled';

/** Events arrive many times a second per blob; the screen redraws on this beat instead. */
const REDRAW_MS = 150;

/** Copies `source` to a typed destination, drawing the copy engine's progress events. */
export function TransferScreen({ width, height, source }: ScreenProps & { source: string }) {
  const services = useServices();
  const store = useUiStore();
  const screenSignal = useScreenSignal();
  const [destination, setDestination] = useState('');
  const [phase, setPhase] = useState<Phase>('edit');
  const [summary, setSummary] = useState<string | undefined>(undefined);
  const progress = useRef<TransferState | undefined>(undefined);
  const copy = useRef<AbortController | undefined>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const state = store.getState;

  useEffect(() => {
    state().setFocus(phase === 'edit' ? 'typing' : 'browse');
  }, [phase, state]);
  useEffect(() => {
    if (phase !== 'running') return;
    const timer = setInterval(() => setNow(Date.now()), REDRAW_MS);
    return () => clearInterval(timer);
  }, [phase]);

  const start = (): void => {
    const target = destination.trim();
    try {
      parseTransportReference(target);
    } catch (err) {
      state().showError(err);
      return;
    }
    const controller = new AbortController();
    // Leaving the screen (q, or Esc once over) aborts too, so no copy outlives its screen.
    screenSignal.addEventListener('abort', () => controller.abort(screenSignal.reason), { once: true });
    copy.current = controller;
    progress.current = initialState(Date.now());
    state().clearStatus();
    setPhase('running');
    const copying = startCopy(services.context, source, target, (event) => applyEvent(progress.current!, event, Date.now()), controller.signal);
    // Quitting mid-copy aborts it; the process then waits for the engine to clean the destination up.
    services.track(copying);
    copying.then(
      (result) => {
        if (screenSignal.aborted) return;
        setSummary(formatSummary(result));
        setNow(Date.now());
        setPhase('done');
        state().showInfo(`${result.upToDate ? 'Up to date' : 'Copied'}: ${result.destination} ${result.digest}`);
      },
      (err: unknown) => {
        if (screenSignal.aborted) return;
        setNow(Date.now());
        if (controller.signal.aborted || isAbortError(err)) {
          setPhase('cancelled');
          state().showInfo('copy cancelled; the destination was left as it was');
        } else {
          // Back to the field: most failures (a wrong destination, a denied push) are fixed there.
          setPhase('edit');
          state().showError(err);
        }
      },
    );
  };

  useActions({
    'text.insert': (text) => setDestination((d) => d + text),
    'text.backspace': () => setDestination((d) => d.slice(0, -1)),
    'text.accept': start,
    'transfer.cancel': () => {
      if (phase === 'running') copy.current?.abort();
      else state().back();
    },
  });

  return (
    <Box flexDirection="column" paddingX={1}>
      <Text wrap="truncate">
        <Text bold>{'  From: '.padEnd(16)}</Text>
        {source}
      </Text>
      <TextField label="To" value={destination} focused={phase === 'edit'} width={16} />
      <Text> </Text>
      {phase === 'edit' ? (
        <Box flexDirection="column">
          <Text dimColor>Type where to copy it, then Enter:</Text>
          {TRANSPORTS.map((t) => (
            <Text key={t} dimColor>{`  ${t}`}</Text>
          ))}
        </Box>
      ) : null}
      {phase !== 'edit' && progress.current ? <TransferView state={progress.current} now={now} width={width - 2} height={height - 6} /> : null}
      {phase === 'done' && summary ? <Text color="green">{summary}</Text> : null}
      {phase === 'cancelled' ? <Text color="yellow">Cancelled. Esc goes back.</Text> : null}
    </Box>
  );
}
