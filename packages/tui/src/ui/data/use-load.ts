import { useEffect, useState } from 'react';
import { isAbortError } from '@nextdeploy/core';
import { useUiStore } from '../state/context.js';

export interface Loaded<T> {
  value: T | undefined;
  loading: boolean;
  /** True when the load failed; the message is in the status bar. */
  failed: boolean;
}

/**
 * Runs `load` for as long as the screen is shown: its signal is aborted when the screen unmounts
 * (Esc, q) or `deps` change (reload), so no request outlives the screen that asked for it.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const store = useUiStore();
  const [state, setState] = useState<Loaded<T>>({ value: undefined, loading: true, failed: false });
  useEffect(() => {
    const controller = new AbortController();
    setState({ value: undefined, loading: true, failed: false });
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ value, loading: false, failed: false });
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        store.getState().showError(err);
        setState({ value: undefined, loading: false, failed: true });
      },
    );
    return () => controller.abort();
  }, deps);
  return state;
}

export interface Streamed {
  items: string[];
  loading: boolean;
  failed: boolean;
}

/** Rows arriving faster than this are rendered together: one frame per batch, not per name. */
const FLUSH_MS = 40;

/** Like `useLoad` for a paginated listing: rows appear page by page while the rest loads. */
export function useStreamedList(list: (signal: AbortSignal) => AsyncIterable<string>, deps: readonly unknown[]): Streamed {
  const store = useUiStore();
  const [state, setState] = useState<Streamed>({ items: [], loading: true, failed: false });
  useEffect(() => {
    const controller = new AbortController();
    const items: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = (loading: boolean, failed = false): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!controller.signal.aborted) setState({ items: [...items], loading, failed });
    };
    setState({ items: [], loading: true, failed: false });
    void (async () => {
      try {
        for await (const item of list(controller.signal)) {
          items.push(item);
          timer ??= setTimeout(() => flush(true), FLUSH_MS);
        }
        flush(false);
      } catch (err) {
        if (controller.signal.aborted || isAbortError(err)) return;
        store.getState().showError(err);
        flush(false, true);
      }
    })();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, deps);
  return state;
}
