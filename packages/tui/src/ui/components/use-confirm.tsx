import { useState, type ReactElement } from 'react';
import { useActions } from '../keys/actions.js';
import { useUiStore } from '../state/context.js';
import { ConfirmDialog } from './ConfirmDialog.js';

interface Pending {
  question: string;
  detail?: string;
  onYes: () => void;
}

/** A confirm dialog owned by a screen: `ask()` opens it and gives it the keyboard until y or n. */
export function useConfirm(): { dialog: ReactElement | null; ask: (question: string, detail: string | undefined, onYes: () => void) => void } {
  const store = useUiStore();
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const close = (): void => {
    setPending(undefined);
    store.getState().setFocus('browse');
  };
  useActions(
    pending
      ? {
          'confirm.yes': () => {
            close();
            pending.onYes();
          },
          'confirm.no': close,
        }
      : {},
  );
  return {
    dialog: pending ? <ConfirmDialog question={pending.question} {...(pending.detail ? { detail: pending.detail } : {})} /> : null,
    ask: (question, detail, onYes) => {
      setPending({ question, ...(detail ? { detail } : {}), onYes });
      store.getState().setFocus('confirm');
    },
  };
}
