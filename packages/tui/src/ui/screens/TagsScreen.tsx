import { Box } from 'ink';
import { useState } from 'react';
import { isAbortError } from '@nextdeploy/core';
import { deleteImage } from '../data/delete-image.js';
import { useClient } from '../data/use-client.js';
import { useStreamedList } from '../data/use-load.js';
import { useScreenSignal } from '../data/use-screen-signal.js';
import { FilterLine } from '../components/FilterLine.js';
import { ListView } from '../components/ListView.js';
import { matchesFilter, useFilter } from '../components/use-filter.js';
import { useConfirm } from '../components/use-confirm.js';
import { useListKeys } from '../components/use-list-keys.js';
import { useActions } from '../keys/actions.js';
import { useUiStore } from '../state/context.js';
import { PAGE_SIZE } from './RepositoriesScreen.js';
import type { ScreenProps } from './screen-props.js';

/** A repository's tags, streamed; Enter shows the manifest, d deletes, c copies. */
export function TagsScreen({ width, height, registry, repository }: ScreenProps & { registry: string; repository: string }) {
  const store = useUiStore();
  const client = useClient(registry);
  const signal = useScreenSignal();
  const [reloads, setReloads] = useState(0);
  const listed = useStreamedList((s) => client.tags(repository, { signal: s, pageSize: PAGE_SIZE }), [client, repository, reloads]);
  const filter = useFilter();
  const shown = listed.items.filter((tag) => matchesFilter(tag, filter));
  const { dialog, ask } = useConfirm();
  const state = store.getState;
  const cursor = useListKeys(shown.length, height - 2, (i) => {
    state().clearStatus();
    state().push({ screen: 'manifest', registry, repository, reference: shown[i]! });
  });
  const tag = shown[cursor];

  useActions({
    'view.reload': () => setReloads((n) => n + 1),
    'image.copy': () => {
      if (tag !== undefined) state().push({ screen: 'transfer', source: `docker://${registry}/${repository}:${tag}` });
    },
    'image.delete': () => {
      if (tag === undefined) return;
      ask(`Delete ${repository}:${tag}?`, 'The manifest it points at is deleted: every tag pointing at it goes too.', () => {
        state().showInfo(`deleting ${repository}:${tag}…`);
        deleteImage(client, repository, tag, signal).then(
          (deleted) => {
            state().showInfo(`Deleted ${deleted}`);
            setReloads((n) => n + 1);
          },
          (err: unknown) => {
            if (!signal.aborted && !isAbortError(err)) state().showError(err);
          },
        );
      });
    },
  });

  return (
    <Box flexDirection="column">
      {dialog}
      <ListView
        lines={shown}
        cursor={cursor}
        height={height - 1 - (dialog ? 5 : 0)}
        width={width}
        header="TAG"
        empty={listed.loading ? 'loading the tags…' : listed.failed ? 'the tags could not be read (see below)' : filter ? 'no tag matches the filter' : 'the repository has no tags'}
      />
      <FilterLine shown={shown.length} total={listed.items.length} loading={listed.loading} noun="tags" />
    </Box>
  );
}
