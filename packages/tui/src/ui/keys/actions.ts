import { createContext, useContext, useEffect, useRef } from 'react';
import type { ActionId } from './bindings.js';

/** `text.insert` receives typed characters while a field has the focus; it has no key of its own. */
export type HandlerId = ActionId | 'text.insert';
export type Handlers = Partial<Record<HandlerId, (text: string) => void>>;

/**
 * Who currently answers each action. Components register layers; the most recently mounted layer
 * that handles an action wins, so a screen's list can override the app's defaults.
 */
export class ActionRegistry {
  readonly #layers: { current: Handlers }[] = [];

  register(layer: { current: Handlers }): () => void {
    this.#layers.push(layer);
    return () => {
      const i = this.#layers.indexOf(layer);
      if (i >= 0) this.#layers.splice(i, 1);
    };
  }

  /** Runs the handler for `id`; false when nobody handles it. */
  run(id: HandlerId, text = ''): boolean {
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const handler = this.#layers[i]?.current[id];
      if (handler) {
        handler(text);
        return true;
      }
    }
    return false;
  }
}

export const ActionsContext = createContext<ActionRegistry | undefined>(undefined);

/** Registers this component's handlers for as long as it is mounted; always the latest closures. */
export function useActions(handlers: Handlers): void {
  const registry = useContext(ActionsContext);
  if (!registry) throw new Error('useActions outside <App>');
  const layer = useRef(handlers);
  layer.current = handlers;
  useEffect(() => registry.register(layer), [registry]);
}
