import { Text } from 'ink';
import { routeTitle } from '../state/routes.js';
import { currentEntry } from '../state/store.js';
import { useUi } from '../state/context.js';
import { fit } from './columns.js';

export function TitleBar({ width }: { width: number }) {
  const title = useUi((s) => routeTitle(currentEntry(s).route));
  return (
    <Text backgroundColor="blue" color="white" bold>
      {fit(` nextdeploy-tui › ${title}`, width)}
    </Text>
  );
}
