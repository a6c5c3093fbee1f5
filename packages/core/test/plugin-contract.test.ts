import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  PROVIDER_API_VERSION,
  PluginError,
  assertProvider,
  checkResolvedCredentials,
  defineProvider,
  loginFieldsFor,
  validateProviderOptions,
  type ProviderOptionsSpec,
} from '../src/index.js';

const minimal = {
  meta: { name: 'acme', version: '1.0.0' },
  displayName: 'Acme registry',
  matches: (host: string) => host.endsWith('.acme.test'),
  options: {},
  loginFields: [{ name: 'password', label: 'Token', secret: true }],
  resolve: async () => undefined,
};

describe('defineProvider / assertProvider', () => {
  it('stamps the API version of this core and keeps the plain object shape', () => {
    const plugin = defineProvider(minimal);
    expect(plugin.apiVersion).toBe(PROVIDER_API_VERSION);
    expect(plugin.meta).toEqual({ name: 'acme', version: '1.0.0' });
    expect(loginFieldsFor(plugin, 'x.acme.test')).toEqual(minimal.loginFields);
  });

  it('refuses a plugin built for another API version, naming both versions', () => {
    const err = (() => {
      try {
        assertProvider({ ...minimal, apiVersion: 99 }, 'nextdeploy-provider-acme');
      } catch (e) {
        return e as PluginError;
      }
    })();
    expect(err).toBeInstanceOf(PluginError);
    expect(err?.plugin).toBe('acme');
    expect(err?.message).toBe(
      `provider plugin "acme": built for plugin API version 99 but this nextdeploy speaks version ${PROVIDER_API_VERSION}; upgrade the plugin or nextdeploy so they match`,
    );
  });

  it('names the source when the module exports no provider at all', () => {
    expect(() => assertProvider(undefined, './my-plugin.js')).toThrow('provider plugin "./my-plugin.js": the module does not export a provider object');
    expect(() => assertProvider({ ...minimal, apiVersion: PROVIDER_API_VERSION, resolve: 'nope' }, 'x')).toThrow('provider plugin "acme": resolve(ctx) must be a function');
    expect(() => assertProvider(minimal, 'x')).toThrow('provider plugin "acme": apiVersion is missing; build the plugin with defineProvider');
    expect(() => defineProvider({ ...minimal, options: { registry: { type: 'string', description: 'x' } } })).toThrow(
      'options.registry is reserved for every profile',
    );
    expect(() => defineProvider({ ...minimal, options: { mode: { type: 'enum', description: 'x', values: [] } } })).toThrow('options.mode.values');
  });
});

describe('validateProviderOptions', () => {
  const spec: ProviderOptionsSpec = {
    username: { type: 'string', description: 'login name', required: true, env: 'ACME_USER' },
    password: { type: 'string', description: 'password', secret: true, env: 'ACME_PASSWORD' },
    keyFile: { type: 'path', description: 'key file' },
    verbose: { type: 'boolean', description: 'chatty', default: false, env: 'ACME_VERBOSE' },
    ttl: { type: 'number', description: 'seconds', integer: true, min: 1, env: 'ACME_TTL' },
    region: { type: 'enum', description: 'region', values: ['eu', 'us'], default: 'eu' },
  };
  const dir = mkdtempSync(join(tmpdir(), 'nd-opts-'));
  const file = join(dir, '.nextdeployrc');

  it('applies defaults, env fallbacks and resolves paths against the config file', () => {
    const { values, warnings } = validateProviderOptions(
      spec,
      { keyFile: 'keys/acme.pem' },
      { where: 'profile "acme"', file, env: { ACME_USER: 'ci', ACME_VERBOSE: 'true', ACME_TTL: '300' } },
    );
    expect(values).toEqual({ username: 'ci', keyFile: join(dir, 'keys/acme.pem'), verbose: true, ttl: 300, region: 'eu' });
    expect(warnings).toEqual([]);
  });

  it('names the field, the file and the fix on every kind of mistake', () => {
    const check = (raw: Record<string, unknown>, env: Record<string, string> = { ACME_USER: 'ci' }) => {
      try {
        validateProviderOptions(spec, raw, { where: 'profile "acme"', file, env });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).file).toBe(file);
        return (e as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(check({}, {})).toBe(`${file}: profile "acme": option "username" is required (or set ACME_USER): login name`);
    expect(check({ usrname: 'x' })).toBe(
      `${file}: profile "acme": unknown option "usrname" (known: username, password, keyFile, verbose, ttl, region)`,
    );
    expect(check({ ttl: 1.5 })).toBe(`${file}: profile "acme": option "ttl" must be a whole number, got 1.5`);
    expect(check({ ttl: 0 })).toBe(`${file}: profile "acme": option "ttl" must be at least 1, got 0`);
    expect(check({ region: 'mars' })).toBe(`${file}: profile "acme": option "region" must be one of eu, us, got a string`);
    expect(check({ verbose: 'yes' })).toBe(`${file}: profile "acme": option "verbose" must be true or false, got a string`);
    expect(check({}, { ACME_USER: 'ci', ACME_TTL: 'soon' })).toBe(
      `${file}: profile "acme": environment variable ACME_TTL must be a number, got a string`,
    );
  });

  it('warns about a secret written in plain text without repeating it', () => {
    const { warnings } = validateProviderOptions(spec, { username: 'ci', password: 'hunter2-secret' }, { where: 'profile "acme"' });
    expect(warnings).toEqual(['profile "acme": option "password" holds a secret in plain text; set ACME_PASSWORD instead']);
    expect(warnings.join()).not.toContain('hunter2');
  });
});

describe('checkResolvedCredentials', () => {
  it('treats undefined as "not mine" and keeps well-formed credentials', () => {
    expect(checkResolvedCredentials('acme', undefined)).toBeUndefined();
    const expiresAt = new Date(Date.now() + 60_000);
    expect(checkResolvedCredentials('acme', { username: 'u', password: 'p', expiresAt })).toEqual({ username: 'u', password: 'p', expiresAt });
    expect(checkResolvedCredentials('acme', { registryToken: 't' })).toEqual({ registryToken: 't' });
  });

  it('rejects malformed answers with a PluginError that never echoes values', () => {
    const secret = 'sk-live-0123456789';
    const cases: Array<[unknown, string]> = [
      [secret, 'resolve() returned a string instead of credentials or undefined'],
      [{ user: 'u', pass: secret }, 'resolve() returned unknown field "user"'],
      [{ username: 'u', password: 42 }, 'resolve() returned password as a number, expected a string'],
      [{ username: secret }, 'resolve() returned a username without a password or identityToken'],
      [{ registryToken: secret, expiresAt: '2030-01-01' }, 'resolve() returned expiresAt that is not a valid Date'],
      [{ registryToken: secret, expiresAt: new Date(Date.now() - 1000) }, 'resolve() returned credentials that have already expired'],
    ];
    for (const [value, expected] of cases) {
      try {
        checkResolvedCredentials('acme', value);
        throw new Error('expected a PluginError');
      } catch (e) {
        expect(e).toBeInstanceOf(PluginError);
        expect((e as Error).message).toContain(`provider plugin "acme": ${expected}`);
        expect((e as Error).message).not.toContain(secret);
      }
    }
  });
});
