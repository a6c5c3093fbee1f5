import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
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

/**
 * Host, username, password; Enter verifies against the registry and saves through the `login`
 * command. A host alone (no credentials) is added to the list for anonymous browsing.
 */
export function LoginScreen({ width, registry }: ScreenProps & { registry: string | undefined }) {
  const services = useServices();
  const store = useUiStore();
  const signal = useScreenSignal();
  const [values, setValues] = useState<Record<Field, string>>({ host: registry ?? '', username: '', password: '' });
  const [focus, setFocus] = useState<Field>(registry ? 'username' : 'host');
  const [busy, setBusy] = useState(false);
  const form = useLoginForm(values.host.trim());

  useEffect(() => {
    store.getState().setFocus('typing');
  }, [store]);

  const move = (by: number): void => setFocus((f) => FIELDS[(FIELDS.indexOf(f) + by + FIELDS.length) % FIELDS.length]!);
  const state = store.getState;

  const submit = async (): Promise<void> => {
    let host: string;
    try {
      host = parseRegistryArgument(values.host.trim());
    } catch (err) {
      state().showError(err);
      setFocus('host');
      return;
    }
    const { username, password } = values;
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
      if (!busy) setValues((v) => ({ ...v, [focus]: v[focus] + text }));
    },
    'text.backspace': () => {
      if (!busy) setValues((v) => ({ ...v, [focus]: v[focus].slice(0, -1) }));
    },
    'text.accept': () => {
      if (busy) return;
      // Enter on a field before the last moves on, as a login prompt would; on the last it submits.
      if (focus !== 'password') {
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
