import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { UiServices } from '../services.js';
import type { UiState, UiStore } from './store.js';

export const StoreContext = createContext<UiStore | undefined>(undefined);
export const ServicesContext = createContext<UiServices | undefined>(undefined);

export function useUiStore(): UiStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useUiStore outside <App>');
  return store;
}

/** Selects from the UI store; selectors must return scalars or stable references (zustand 5). */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useUiStore(), selector);
}

export function useServices(): UiServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <App>');
  return services;
}
