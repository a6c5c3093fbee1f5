import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorMessage, oneLine } from '../../program/report-error.js';
import type { Focus } from '../keys/bindings.js';
import type { Route } from './routes.js';

/** One level of navigation; cursor and filter live here so going back lands where the user was. */
export interface StackEntry {
  route: Route;
  cursor: number;
  filter: string;
}

export interface StatusLine {
  kind: 'error' | 'info';
  text: string;
}

export interface UiState {
  stack: StackEntry[];
  /** What the screen has the keyboard doing; the help overlay is `helpOpen`, not a focus. */
  focus: Exclude<Focus, 'help'>;
  helpOpen: boolean;
  status: StatusLine | undefined;
  /** Hosts typed into "add registry…" this session; they have no config entry yet. */
  addedRegistries: string[];
  quitting: boolean;

  push(route: Route): void;
  /** Leaves the current screen; false when it was the first one. */
  back(): boolean;
  /** Replaces the route of the current screen (e.g. a login host typed in). */
  replace(route: Route): void;
  setCursor(cursor: number): void;
  setFilter(filter: string): void;
  setFocus(focus: Exclude<Focus, 'help'>): void;
  setHelp(open: boolean): void;
  showError(err: unknown): void;
  showInfo(text: string): void;
  clearStatus(): void;
  addRegistry(host: string): void;
  quit(): void;
}

export type UiStore = StoreApi<UiState>;

function entry(route: Route): StackEntry {
  return { route, cursor: 0, filter: '' };
}

function updateTop(stack: StackEntry[], patch: Partial<StackEntry>): StackEntry[] {
  const top = stack[stack.length - 1];
  return top ? [...stack.slice(0, -1), { ...top, ...patch }] : stack;
}

/** A store per app instance, so tests and the real terminal never share navigation state. */
export function createUiStore(initial: Route = { screen: 'registries' }): UiStore {
  return createStore<UiState>()((set, get) => ({
    stack: [entry(initial)],
    focus: 'browse',
    helpOpen: false,
    status: undefined,
    addedRegistries: [],
    quitting: false,

    push: (route) => set((s) => ({ stack: [...s.stack, entry(route)], focus: 'browse', helpOpen: false })),
    back: () => {
      if (get().stack.length <= 1) return false;
      set((s) => ({ stack: s.stack.slice(0, -1), focus: 'browse', helpOpen: false }));
      return true;
    },
    replace: (route) => set((s) => ({ stack: updateTop(s.stack, { route }) })),
    setCursor: (cursor) => set((s) => ({ stack: updateTop(s.stack, { cursor }) })),
    setFilter: (filter) => set((s) => ({ stack: updateTop(s.stack, { filter, cursor: 0 }) })),
    setFocus: (focus) => set({ focus }),
    setHelp: (helpOpen) => set({ helpOpen }),
    // The one-line rule holds whatever threw: multi-line texts are folded before they are shown.
    showError: (err) => set({ status: { kind: 'error', text: oneLine(errorMessage(err)) || 'unknown error' } }),
    showInfo: (text) => set({ status: { kind: 'info', text: oneLine(text) } }),
    clearStatus: () => set({ status: undefined }),
    addRegistry: (host) => set((s) => (s.addedRegistries.includes(host) ? s : { addedRegistries: [...s.addedRegistries, host] })),
    quit: () => set({ quitting: true }),
  }));
}

/** The route on top of the stack. */
export function currentEntry(state: UiState): StackEntry {
  const top = state.stack[state.stack.length - 1];
  if (!top) throw new Error('navigation stack is empty');
  return top;
}
