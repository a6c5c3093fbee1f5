import { Box, useApp, useInput } from 'ink';
import { useMemo, useRef } from 'react';
import { HelpOverlay } from './components/HelpOverlay.js';
import { StatusBar } from './components/StatusBar.js';
import { TitleBar } from './components/TitleBar.js';
import { ActionRegistry, ActionsContext, useActions } from './keys/actions.js';
import { bindingFor } from './keys/bindings.js';
import { keyEvents, type KeyEvent } from './keys/key-name.js';
import { LoginScreen } from './screens/LoginScreen.js';
import { ManifestScreen } from './screens/ManifestScreen.js';
import { RegistriesScreen } from './screens/RegistriesScreen.js';
import { RepositoriesScreen } from './screens/RepositoriesScreen.js';
import { TagsScreen } from './screens/TagsScreen.js';
import { TransferScreen } from './screens/TransferScreen.js';
import type { ScreenProps } from './screens/screen-props.js';
import type { UiServices } from './services.js';
import { ServicesContext, StoreContext, useUi, useUiStore } from './state/context.js';
import type { Route } from './state/routes.js';
import { currentEntry, type UiStore } from './state/store.js';
import { useTerminalSize } from './terminal/use-terminal-size.js';

export interface AppProps {
  store: UiStore;
  services: UiServices;
}

/** The whole UI: providers around the shell. Tests render this with ink-testing-library. */
export function App({ store, services }: AppProps) {
  const actions = useMemo(() => new ActionRegistry(), []);
  return (
    <StoreContext.Provider value={store}>
      <ServicesContext.Provider value={services}>
        <ActionsContext.Provider value={actions}>
          <Shell actions={actions} />
        </ActionsContext.Provider>
      </ServicesContext.Provider>
    </StoreContext.Provider>
  );
}

/**
 * Title bar, the current screen, the status bar, and the one input handler: every key goes through
 * the key table to an action; while a field is focused, keys the table does not bind are text.
 */
function Shell({ actions }: { actions: ActionRegistry }) {
  const { exit } = useApp();
  const store = useUiStore();
  const size = useTerminalSize();
  const depth = useUi((s) => s.stack.length);
  const route = useUi((s) => currentEntry(s).route);
  const focus = useUi((s) => s.focus);
  const helpOpen = useUi((s) => s.helpOpen);

  const dispatch = ({ name, text }: KeyEvent): void => {
    const s = store.getState();
    const screen = currentEntry(s).route.screen;
    const now = s.helpOpen ? 'help' : s.focus;
    const binding = name !== undefined ? bindingFor(screen, now, name) : undefined;
    if (binding) actions.run(binding.action);
    else if (now === 'typing' && text) actions.run('text.insert', text);
  };
  // Several keys in one read run one per tick, so each sees the screen the previous one produced
  // (after "j", Enter must open the row j moved to, not the one the handlers were rendered with).
  const queue = useRef<KeyEvent[]>([]);
  const drain = (): void => {
    const next = queue.current.shift();
    if (!next) return;
    dispatch(next);
    if (queue.current.length > 0) setImmediate(drain);
  };
  useInput((input, key) => {
    const idle = queue.current.length === 0;
    queue.current.push(...keyEvents(input, key));
    if (idle) drain();
  });

  useActions({
    'app.quit': () => exit(),
    'app.back': () => {
      store.getState().back();
    },
    'app.help': () => store.getState().setHelp(true),
    'help.close': () => store.getState().setHelp(false),
  });

  // One row short of the terminal: a frame as tall as the screen makes ink clear and flicker.
  const height = Math.max(5, size.rows - 1);
  const body = { width: size.columns, height: height - 2 };
  return (
    <Box flexDirection="column" width={size.columns} height={height}>
      <TitleBar width={size.columns} />
      <Box flexDirection="column" height={body.height} overflow="hidden">
        {helpOpen ? <HelpOverlay screen={route.screen} focus={focus} height={body.height} /> : null}
        {/* hidden, not unmounted, under the help: its data and in-flight requests stay */}
        <Box display={helpOpen ? 'none' : 'flex'} flexDirection="column">
          <Screen key={depth} route={route} {...body} />
        </Box>
      </Box>
      <StatusBar width={size.columns} />
    </Box>
  );
}

function Screen({ route, ...body }: ScreenProps & { route: Route }) {
  switch (route.screen) {
    case 'registries':
      return <RegistriesScreen {...body} />;
    case 'login':
      return <LoginScreen {...body} registry={route.registry} />;
    case 'repositories':
      return <RepositoriesScreen {...body} registry={route.registry} />;
    case 'tags':
      return <TagsScreen {...body} registry={route.registry} repository={route.repository} />;
    case 'manifest':
      return <ManifestScreen {...body} registry={route.registry} repository={route.repository} reference={route.reference} />;
    case 'transfer':
      return <TransferScreen {...body} source={route.source} />;
  }
}
