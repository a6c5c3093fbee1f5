import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  PluginError,
  ProviderKeychain,
  defineProvider,
  type AuthConfig,
  type Keychain,
  type ProviderContext,
  type ProviderPlugin,
  type ResolvedCredentials,
} from '../src/index.js';

/** A provider whose answers the test scripts; records every context it was called with. */
function scripted(name: string, hosts: string[], answer: (ctx: ProviderContext) => ResolvedCredentials | undefined): ProviderPlugin & { calls: ProviderContext[] } {
  const calls: ProviderContext[] = [];
  const plugin = defineProvider({
    meta: { name, version: '0.0.1' },
    displayName: name,
    registryTypes: [`${name}-alias`],
    matches: (host) => hosts.includes(host),
    options: { user: { type: 'string', description: 'user', default: `${name}-user` }, token: { type: 'string', description: 'token', secret: true } },
    loginFields: [],
    resolve: async (ctx) => {
      calls.push(ctx);
      return answer(ctx);
    },
  });
  return Object.assign(plugin, { calls });
}

const staticKeychain = (auth: AuthConfig): Keychain => ({ resolve: async () => ({ authorization: async () => auth }) });
const authFor = async (k: Keychain, registry: string, repository?: string) =>
  (await k.resolve(repository ? { registry, repository } : { registry })).authorization();

describe('ProviderKeychain chain order', () => {
  const alpha = scripted('alpha', ['alpha.test'], (ctx) => ({ username: String(ctx.options.user), password: `alpha-for-${ctx.registry}` }));
  const beta = scripted('beta', ['beta.test', 'alpha.test'], () => undefined);
  const dockerConfig = staticKeychain({ username: 'from-docker-config', password: 'pw' });

  it('explicit profile, then profile for the host, then matching plugin, then fallbacks, then anonymous', async () => {
    const k = new ProviderKeychain({
      plugins: [alpha, beta],
      profiles: [
        { name: 'pinned', plugin: alpha, registry: 'pinned.test', options: { user: 'pinned-user' } },
        { name: 'anywhere', plugin: alpha, options: { user: 'explicit-user' } },
      ],
      fallbacks: [dockerConfig],
    });
    expect(await authFor(k, 'pinned.test')).toEqual({ username: 'pinned-user', password: 'alpha-for-pinned.test' });
    // first plugin whose matches claims the host wins; it runs with its defaults
    expect(await authFor(k, 'alpha.test')).toEqual({ username: 'alpha-user', password: 'alpha-for-alpha.test' });
    // beta claims beta.test but answers undefined: "not mine" passes the host on to docker config
    expect(await authFor(k, 'beta.test')).toEqual({ username: 'from-docker-config', password: 'pw' });
    expect(await authFor(k, 'nobody.test')).toEqual({ username: 'from-docker-config', password: 'pw' });
    expect(await authFor(new ProviderKeychain({ plugins: [beta] }), 'beta.test')).toEqual({});

    const explicit = new ProviderKeychain({ plugins: [alpha], profiles: [{ name: 'anywhere', plugin: alpha, options: { user: 'explicit-user' } }], profile: 'anywhere' });
    expect(await authFor(explicit, 'elsewhere.test')).toEqual({ username: 'explicit-user', password: 'alpha-for-elsewhere.test' });
  });

  it('passes host, repository, profile, env and a signal to the plugin; Docker Hub aliases fold to docker.io', async () => {
    const seen = scripted('seen', ['docker.io'], () => ({ registryToken: 'tok' }));
    const k = new ProviderKeychain({ plugins: [seen], env: { ONLY: 'this' } });
    expect(await authFor(k, 'index.docker.io', 'library/alpine')).toEqual({ registryToken: 'tok' });
    const ctx = seen.calls[0]!;
    expect(ctx).toMatchObject({ registry: 'docker.io', repository: 'library/alpine', options: { user: 'seen-user' }, env: { ONLY: 'this' } });
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.profile).toBeUndefined();
  });

  it('forces a provider by name or alias with registryType, for any host', async () => {
    const k = new ProviderKeychain({ plugins: [alpha, beta], registryType: 'ALPHA-alias' });
    expect(await authFor(k, 'beta.test')).toEqual({ username: 'alpha-user', password: 'alpha-for-beta.test' });
    expect(alpha.calls.at(-1)?.registryType).toBe('alpha-alias');
    expect(() => new ProviderKeychain({ plugins: [alpha], registryType: 'aws' })).toThrow(
      'registry type "aws" matches no loaded provider; known types: alpha, alpha-alias',
    );
  });

  it('names the defined profiles when --profile names an unknown one', () => {
    expect(() => new ProviderKeychain({ plugins: [], profiles: [{ name: 'ci', plugin: alpha, options: {} }], profile: 'prod' })).toThrow(ConfigError);
    expect(() => new ProviderKeychain({ plugins: [], profiles: [{ name: 'ci', plugin: alpha, options: {} }], profile: 'prod' })).toThrow(
      'profile "prod" is not defined; defined profiles: ci',
    );
  });
});

describe('ProviderKeychain failures', () => {
  it('a plugin that throws gives a PluginError naming it, without its secret; other profiles keep working', async () => {
    const secret = 'tok-very-secret-123';
    const broken = scripted('broken', [], (ctx) => {
      throw new Error(`upstream rejected token ${String(ctx.options.token)}\nstack noise`);
    });
    const good = scripted('good', [], () => ({ username: 'g', password: 'p' }));
    const k = new ProviderKeychain({
      plugins: [broken, good],
      profiles: [
        { name: 'bad', plugin: broken, registry: 'bad.test', options: { token: secret } },
        { name: 'fine', plugin: good, registry: 'fine.test', options: {} },
      ],
    });
    const err = await authFor(k, 'bad.test').catch((e: unknown) => e as PluginError);
    expect(err).toBeInstanceOf(PluginError);
    expect((err as PluginError).plugin).toBe('broken');
    expect((err as Error).message).toBe('provider plugin "broken": profile "bad" failed for bad.test: upstream rejected token ***');
    expect(await authFor(k, 'fine.test')).toEqual({ username: 'g', password: 'p' });
  });

  it('a malformed answer or a throwing matches() is a PluginError too', async () => {
    const sloppy = scripted('sloppy', ['sloppy.test'], () => ({ token: 'x' }) as unknown as ResolvedCredentials);
    await expect(authFor(new ProviderKeychain({ plugins: [sloppy] }), 'sloppy.test')).rejects.toThrow(
      'provider plugin "sloppy": resolve() returned unknown field "token"',
    );
    const picky = defineProvider({ ...sloppy, meta: { name: 'picky', version: '1' }, matches: () => { throw new TypeError('boom'); } });
    await expect(new ProviderKeychain({ plugins: [picky] }).resolve({ registry: 'x.test' })).rejects.toThrow('provider plugin "picky": matches("x.test") threw: boom');
  });
});

describe('ProviderKeychain caching', () => {
  it('reuses credentials until shortly before expiry, then asks the plugin again', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    let serial = 0;
    const shortLived = scripted('short', ['short.test'], () => ({ registryToken: `t${++serial}`, expiresAt: new Date(now + 40 * 60_000) }));
    const k = new ProviderKeychain({ plugins: [shortLived], now: () => now });
    const auth = await k.resolve({ registry: 'short.test' });
    const [a, b] = await Promise.all([auth.authorization(), auth.authorization()]);
    expect([a?.registryToken, b?.registryToken]).toEqual(['t1', 't1']);
    now += 34 * 60_000; // 6 minutes left: still outside the 5-minute refresh margin
    expect((await auth.authorization()).registryToken).toBe('t1');
    now += 2 * 60_000; // 4 minutes left: refresh
    expect((await auth.authorization()).registryToken).toBe('t2');
    expect(shortLived.calls).toHaveLength(2);
  });

  it('logout runs the handling plugin and forgets what was cached', async () => {
    let serial = 0;
    const erased: string[] = [];
    const base = scripted('store', ['store.test'], () => ({ username: 'u', password: `p${++serial}` }));
    const withLogout = defineProvider({ ...base, logout: async (ctx) => void erased.push(ctx.registry) });
    const k = new ProviderKeychain({ plugins: [withLogout] });
    expect((await authFor(k, 'store.test')).password).toBe('p1');
    expect(await k.logout('store.test')).toBe(true);
    expect(erased).toEqual(['store.test']);
    expect((await authFor(k, 'store.test')).password).toBe('p2');
    expect(await k.logout('unclaimed.test')).toBe(false);
    expect(k.providerFor('store.test')?.plugin.meta.name).toBe('store');
  });
});
