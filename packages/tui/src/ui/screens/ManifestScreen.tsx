import { Box, Text } from 'ink';
import { useState } from 'react';
import { isAbortError, isDigest } from '@nextdeploy/core';
import { formatSize } from '../../output/size.js';
import { deleteImage } from '../data/delete-image.js';
import { loadManifestDetail, type ManifestDetail } from '../data/manifest-detail.js';
import { useClient } from '../data/use-client.js';
import { useLoad } from '../data/use-load.js';
import { useScreenSignal } from '../data/use-screen-signal.js';
import { ListView } from '../components/ListView.js';
import { fit, row } from '../components/columns.js';
import { useConfirm } from '../components/use-confirm.js';
import { useListKeys } from '../components/use-list-keys.js';
import { useActions } from '../keys/actions.js';
import { useUiStore } from '../state/context.js';
import type { ScreenProps } from './screen-props.js';

interface Props extends ScreenProps {
  registry: string;
  repository: string;
  reference: string;
}

/** `Label  value` lines above the table; values come from the registry, never from credentials. */
function fields(detail: ManifestDetail): [string, string][] {
  const { fetched, config, layers, configSummary: c } = detail;
  const out: [string, string][] = [
    ['Digest', fetched.digest],
    ['Media type', fetched.mediaType],
    ['Size', `${fetched.size} bytes`],
  ];
  if (detail.platforms.length > 0) out.push(['Platforms', String(detail.platforms.length)]);
  if (config) {
    out.push(['Config', `${config.digest} (${formatSize(config.size)})`]);
    out.push(['Layers', `${layers.length}, ${formatSize(layers.reduce((sum, l) => sum + l.size, 0))} in total`]);
  }
  if (c?.platform) out.push(['Platform', c.platform]);
  if (c?.created) out.push(['Created', c.created]);
  if (c?.entrypoint) out.push(['Entrypoint', c.entrypoint]);
  if (c?.cmd) out.push(['Cmd', c.cmd]);
  if (c?.workingDir) out.push(['Workdir', c.workingDir]);
  if (c?.user) out.push(['User', c.user]);
  if (c && c.exposedPorts.length > 0) out.push(['Ports', c.exposedPorts.join(' ')]);
  if (c && c.labels > 0) out.push(['Labels', String(c.labels)]);
  return out;
}

/** Digest, media type, size; an index's platforms (Enter opens one) or an image's config and layers. */
export function ManifestScreen({ width, height, registry, repository, reference }: Props) {
  const store = useUiStore();
  const client = useClient(registry);
  const signal = useScreenSignal();
  const [reloads, setReloads] = useState(0);
  const loaded = useLoad((s) => loadManifestDetail(client, repository, reference, s), [client, repository, reference, reloads]);
  const { dialog, ask } = useConfirm();
  const detail = loaded.value;
  const state = store.getState;

  const isIndex = (detail?.platforms.length ?? 0) > 0;
  const lines = !detail
    ? []
    : isIndex
      ? detail.platforms.map((p) => row([p.platform, p.descriptor.digest, formatSize(p.descriptor.size), p.descriptor.mediaType], [16, 71, 10], width))
      : detail.layers.map((l) => row([l.digest, formatSize(l.size), l.mediaType], [71, 10], width));
  const header = isIndex ? row(['PLATFORM', 'DIGEST', 'SIZE', 'MEDIA TYPE'], [16, 71, 10], width) : row(['LAYER', 'SIZE', 'MEDIA TYPE'], [71, 10], width);
  const info = detail ? fields(detail) : [];
  const labelWidth = 12;
  const listHeight = Math.max(2, height - info.length - 1 - (dialog ? 5 : 0));

  const cursor = useListKeys(lines.length, listHeight - 1, (i) => {
    const child = detail?.platforms[i];
    if (child) state().push({ screen: 'manifest', registry, repository, reference: child.descriptor.digest });
  });
  const shownRef = isDigest(reference) ? `${repository}@${reference}` : `${repository}:${reference}`;

  useActions({
    'view.reload': () => setReloads((n) => n + 1),
    'image.copy': () => state().push({ screen: 'transfer', source: `docker://${registry}/${shownRef}` }),
    'image.delete': () => {
      if (!detail) return;
      ask(`Delete ${repository}@${detail.fetched.digest}?`, 'Every tag pointing at this manifest goes too.', () => {
        state().showInfo(`deleting ${shownRef}…`);
        deleteImage(client, repository, detail.fetched.digest, signal).then(
          (deleted) => {
            state().back();
            state().showInfo(`Deleted ${deleted}`);
          },
          (err: unknown) => {
            if (!signal.aborted && !isAbortError(err)) state().showError(err);
          },
        );
      });
    },
  });

  if (!detail) {
    return <Text dimColor>{loaded.loading ? `loading ${shownRef}…` : 'the manifest could not be read (see below)'}</Text>;
  }
  return (
    <Box flexDirection="column">
      {dialog}
      {info.map(([label, value]) => (
        <Text key={label} wrap="truncate">
          <Text bold>{label.padEnd(labelWidth)}</Text>
          {fit(value, Math.max(1, width - labelWidth))}
        </Text>
      ))}
      <Text> </Text>
      <ListView lines={lines} cursor={cursor} height={listHeight} width={width} header={header} empty="no layers" />
    </Box>
  );
}
