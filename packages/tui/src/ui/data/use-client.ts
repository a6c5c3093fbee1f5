import { useMemo } from 'react';
import type { RegistryClient } from '@nextdeploy/core';
import { useServices } from '../state/context.js';

/** One client (so one token cache and connection pool) per screen and registry. */
export function useClient(registry: string): RegistryClient {
  const { context } = useServices();
  return useMemo(() => context.client(registry), [context, registry]);
}
