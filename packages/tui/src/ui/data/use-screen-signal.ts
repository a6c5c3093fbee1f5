import { useEffect, useRef } from 'react';

/** A signal aborted when the component unmounts: for actions (delete, login) started by a key. */
export function useScreenSignal(): AbortSignal {
  const controller = useRef<AbortController | undefined>(undefined);
  controller.current ??= new AbortController();
  useEffect(() => {
    // StrictMode mounts, unmounts and mounts again: a fresh controller keeps the second mount alive.
    if (controller.current?.signal.aborted) controller.current = new AbortController();
    const mine = controller.current;
    return () => mine?.abort();
  }, []);
  return controller.current.signal;
}
