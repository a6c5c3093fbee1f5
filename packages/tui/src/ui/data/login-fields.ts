import { useEffect, useState } from 'react';
import { loginFieldsFor, type LoginField, type ProviderPlugin } from '@nextdeploy/core';
import { useServices } from '../state/context.js';

export interface LoginForm {
  username: LoginField;
  password: LoginField;
  /** The provider whose labels these are, when one handles the host. */
  provider?: string;
}

const DEFAULT_FORM: LoginForm = {
  username: { name: 'username', label: 'Username' },
  password: { name: 'password', label: 'Password', secret: true },
};

/**
 * The login form for a host, labelled by the provider the keychain would ask for it (`--profile`,
 * a profile for the host, `-r TYPE`, a plugin claiming it), else plain username/password. The
 * keychain makes that choice itself, so the form cannot name a provider the commands would not use.
 * Until the answer for a newly typed host arrives the previous labels stay, so typing does not flicker.
 */
export function useLoginForm(registry: string): LoginForm {
  const services = useServices();
  const [form, setForm] = useState<LoginForm>(DEFAULT_FORM);
  useEffect(() => {
    if (registry === '') {
      setForm(DEFAULT_FORM);
      return;
    }
    let current = true;
    services.providerFor(registry).then(
      (choice) => {
        if (current) setForm(loginFormFor(choice?.plugin, registry));
      },
      () => {
        // A broken config is already on the registries screen, and a plugin whose matches() throws
        // is reported by the keychain when the host is used; the form just falls back to plain labels.
        if (current) setForm(DEFAULT_FORM);
      },
    );
    return () => {
      current = false;
    };
  }, [services, registry]);
  return form;
}

/** The login command saves a username and a password, so those are the two fields, whatever else a plugin lists. */
function loginFormFor(plugin: ProviderPlugin | undefined, registry: string): LoginForm {
  if (!plugin) return DEFAULT_FORM;
  const fields = loginFieldsFor(plugin, registry);
  const find = (name: string): LoginField | undefined => fields.find((f) => f.name === name);
  return {
    username: find('username') ?? DEFAULT_FORM.username,
    password: { ...(find('password') ?? DEFAULT_FORM.password), secret: true },
    provider: plugin.displayName,
  };
}
