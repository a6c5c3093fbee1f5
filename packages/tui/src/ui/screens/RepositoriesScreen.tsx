import { Box } from 'ink';
import { useState } from 'react';
import { useClient } from '../data/use-client.js';
import { useStreamedList } from '../data/use-load.js';
import { FilterLine } from '../components/FilterLine.js';
import { ListView } from '../components/ListView.js';
import { matchesFilter, useFilter } from '../components/use-filter.js';
import { useListKeys } from '../components/use-list-keys.js';
import { useActions } from '../keys/actions.js';
import { useUiStore } from '../state/context.js';
import type { ScreenProps } from './screen-props.js';

/** The page size asked of the registry: big enough to fill a screen, small enough to show rows soon. */
export const PAGE_SIZE = 100;

/** The catalog, streamed page by page; Enter shows a repository's tags. */
export function RepositoriesScreen({ width, height, registry }: ScreenProps & { registry: string }) {
  const store = useUiStore();
  const client = useClient(registry);
  const [reloads, setReloads] = useState(0);
  const listed = useStreamedList((signal) => client.catalog({ signal, pageSize: PAGE_SIZE }), [client, reloads]);
  const filter = useFilter();
  const shown = listed.items.filter((name) => matchesFilter(name, filter));
  const cursor = useListKeys(shown.length, height - 2, (i) => {
    store.getState().clearStatus();
    store.getState().push({ screen: 'tags', registry, repository: shown[i]! });
  });
  useActions({ 'view.reload': () => setReloads((n) => n + 1) });

  return (
    <Box flexDirection="column">
      <ListView
        lines={shown}
        cursor={cursor}
        height={height - 1}
        width={width}
        header="REPOSITORY"
        empty={listed.loading ? 'loading the catalog…' : listed.failed ? 'the catalog could not be read (see below)' : filter ? 'no repository matches the filter' : 'the registry has no repositories'}
      />
      <FilterLine shown={shown.length} total={listed.items.length} loading={listed.loading} noun="repositories" />
    </Box>
  );
}
