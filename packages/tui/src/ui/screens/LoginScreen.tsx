import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { isAbortError } from '@nextdeploy/core';
import { parseRegistryArgument } from '../../registry/host-argument.js';
import { useLoginForm } from '../data/login-fields.js';
import { saveLogin } from '../data/save-login.js';
import { useScreenSignal } from '../data/use-screen-signal.js';
import { TextField } from '../components/TextField.js';
import { useActions } from '../keys/actions.js';
import { useServices, useUiStore } from '../state/context.js';
import type { ScreenProps } from './screen-props.js';

const FIELDS = ['host', 'username', 'password'] as const;
type Field = (typeof FIELDS)[number];

interface Entry {
  values: Record<Field, string>;
  focus: Field;
}

/**
 * State whose latest value handlers read at once, not as of the last render: keys typed right after
 * Enter (a paste, a fast typist, a busy machine) arrive before React re-renders, and with the focus
 * of the last render a password's first characters would land, visible, in the username field.
 */
function useLatest<T>(initial: T): [{ readonly current: T }, (change: (value: T) => T) => void] {
  const ref = useRef(initial);
  const [, rerender] = useState(0);
  const set = (change: (value: T) => T): void => {
    ref.current = change(ref.current);
    rerender((n) => n + 1);
  };
  return [ref, set];
}

/**
 * Host, username, password; Enter verifies against the registry and saves through the `login`
 * command. A host alone (no credentials) is added to the list for anonymous browsing.
 */
export function LoginScreen({ width, registry }: ScreenProps & { registry: string | undefined }) {
  const services = useServices();
  const store = useUiStore();
  const signal = useScreenSignal();
  const [entry, setEntry] = useLatest<Entry>({ values: { host: registry ?? '', username: '', password: '' }, focus: registry ? 'username' : 'host' });
  const { values, focus } = entry.current;
  const [busy, setBusy] = useState(false);
  const form = useLoginForm(values.host.trim());

  useEffect(() => {
    store.getState().setFocus('typing');
  }, [store]);

  const setFocus = (field: Field): void => setEntry((e) => ({ ...e, focus: field }));
  const move = (by: number): void => setEntry((e) => ({ ...e, focus: FIELDS[(FIELDS.indexOf(e.focus) + by + FIELDS.length) % FIELDS.length]! }));
  const edit = (change: (value: string) => string): void => setEntry((e) => ({ ...e, values: { ...e.values, [e.focus]: change(e.values[e.focus]) } }));
  const state = store.getState;

  const submit = async (): Promise<void> => {
    let host: string;
    try {
      host = parseRegistryArgument(entry.current.values.host.trim());
    } catch (err) {
      state().showError(err);
      setFocus('host');
      return;
    }
    const { username, password } = entry.current.values;
    if (username === '' && password === '') {
      state().addRegistry(host);
      state().back();
      state().showInfo(`added ${host} without credentials; press l on it to log in`);
      return;
    }
    if (username === '' || password === '') {
      state().showError(`type both a ${form.username.label.toLowerCase()} and a ${form.password.label.toLowerCase()} for ${host}, or neither to browse it anonymously`);
      setFocus(username === '' ? 'username' : 'password');
      return;
    }
    setBusy(true);
    state().showInfo(`verifying the credentials with ${host}…`);
    try {
      const result = await saveLogin({ ...services.context, signal }, host, username, password);
      if (signal.aborted) return;
      state().addRegistry(host);
      state().back();
      state().showInfo(result.message);
    } catch (err) {
      if (signal.aborted || isAbortError(err)) return;
      setBusy(false);
      state().showError(err);
    }
  };

  useActions({
    'form.next': () => move(1),
    'form.previous': () => move(-1),
    'text.insert': (text) => {
      if (!busy) edit((v) => v + text);
    },
    'text.backspace': () => {
      if (!busy) edit((v) => v.slice(0, -1));
    },
    'text.accept': () => {
      if (busy) return;
      // Enter on a field before the last moves on, as a login prompt would; on the last it submits.
      if (entry.current.focus !== 'password') {
        move(1);
        return;
      }
      void submit();
    },
  });

  return (
    <Box flexDirection="column" paddingX={1}>
      <Text>
        Log in to a registry{form.provider ? <Text dimColor> — {form.provider}</Text> : null}
      </Text>
      <Text> </Text>
      <TextField label="Registry" value={values.host} focused={focus === 'host'} width={width} />
      <TextField label={form.username.label} value={values.username} focused={focus === 'username'} width={width} />
      <TextField label={form.password.label} value={values.password} focused={focus === 'password'} secret width={width} />
      <Text> </Text>
      <Text dimColor>{busy ? 'verifying…' : 'Enter: next field / log in   Tab: next field   Esc: back   (a host alone adds it for anonymous browsing)'}</Text>
    </Box>
  );
}
