import { Box } from 'ink';
import { useState } from 'react';
import { DockerConfigFile } from '@nextdeploy/core';
import { describeLogin, listRegistries, type RegistryEntry } from '../data/registry-list.js';
import { useLoad } from '../data/use-load.js';
import { FilterLine } from '../components/FilterLine.js';
import { ListView } from '../components/ListView.js';
import { row } from '../components/columns.js';
import { matchesFilter, useFilter } from '../components/use-filter.js';
import { useListKeys } from '../components/use-list-keys.js';
import { useActions } from '../keys/actions.js';
import { useServices, useUi, useUiStore } from '../state/context.js';
import type { ScreenProps } from './screen-props.js';

export const ADD_REGISTRY = 'add registry…';

async function loadEntries(services: ReturnType<typeof useServices>, added: readonly string[], onConfigError: (err: unknown) => void): Promise<RegistryEntry[]> {
  const docker = await DockerConfigFile.load();
  // A broken .nextdeployrc must not hide the logins docker's config.json already has.
  const config = await services.loadConfig().catch((err: unknown) => {
    onConfigError(err);
    return undefined;
  });
  return listRegistries(docker, config, added);
}

export function RegistriesScreen({ width, height }: ScreenProps) {
  const services = useServices();
  const store = useUiStore();
  const added = useUi((s) => s.addedRegistries);
  const [reloads, setReloads] = useState(0);
  const loaded = useLoad((_signal) => loadEntries(services, added, (err) => store.getState().showError(err)), [added, reloads]);
  const filter = useFilter();

  const entries = (loaded.value ?? []).filter((e) => matchesFilter(e.host, filter));
  const widths = [Math.max(20, ...entries.map((e) => e.host.length)), 42];
  const lines = [
    ...entries.map((e) => row([e.host, describeLogin(e.login), e.profiles.map((p) => `${p.name} (${p.provider})`).join(', ')], widths, width)),
    ADD_REGISTRY,
  ];
  const selected = (i: number): RegistryEntry | undefined => entries[i];
  const cursor = useListKeys(lines.length, height - 2, (i) => {
    const entry = selected(i);
    store.getState().clearStatus();
    store.getState().push(entry ? { screen: 'repositories', registry: entry.host } : { screen: 'login' });
  });
  useActions({
    'registry.login': () => {
      const entry = selected(cursor);
      store.getState().push(entry ? { screen: 'login', registry: entry.host } : { screen: 'login' });
    },
    'view.reload': () => setReloads((n) => n + 1),
  });

  return (
    <Box flexDirection="column">
      <ListView lines={lines} cursor={cursor} height={height - 1} width={width} header={row(['REGISTRY', 'CREDENTIALS', 'PROFILES'], widths, width)} empty="" />
      <FilterLine shown={entries.length} total={loaded.value?.length ?? 0} loading={loaded.loading} noun="registries" />
    </Box>
  );
}
