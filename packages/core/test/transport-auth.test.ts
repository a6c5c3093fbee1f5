import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, startRegistry, stopAll, type RecordedRequest, type RecordingServer, type TestRegistry } from '@nextdeploy/testkit';
import { AuthenticationError } from '../src/errors/index.js';
import { fetchBearerToken, staticKeychain, validateRealm, type AuthConfig, type TokenHttpRequest } from '../src/auth/index.js';
import { createTransport, type DebugEvent, type TransportOptions } from '../src/transport/index.js';

afterAll(stopAll);

const PASSWORD = 'wonderland-secret';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('against a real token-auth registry', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token' });
  });
  const transport = (auth: AuthConfig | undefined, events: DebugEvent[] = [], extra: TransportOptions = {}) =>
    createTransport(reg.host, { keychain: staticKeychain(auth ? { [reg.host]: auth } : {}), onDebug: (e) => events.push(e), ...extra });

  it('upgrades the scope on insufficient_scope and replays once', async () => {
    const events: DebugEvent[] = [];
    const t = transport({ username: 'alice', password: PASSWORD }, events);
    // learn the challenge with a pull-scoped request
    await (await t.request({ method: 'GET', url: '/v2/upgrade/tags/list', scopes: ['repository:upgrade:pull'] })).dump();
    reg.tokenServer!.requests.length = 0;
    events.length = 0;
    // under-declared: an upload needs push, the registry's 401 names it
    const res = await t.request({ method: 'POST', url: '/v2/upgrade/blobs/uploads/', scopes: ['repository:upgrade:pull'] });
    expect(res.status).toBe(202);
    await res.dump();
    expect(reg.tokenServer!.requests.map((r) => r.scopes)).toEqual([['repository:upgrade:pull,push']]);
    // one 401, then the replay; the token fetch in between is logged against the realm
    expect(events.filter((e) => e.url.startsWith(`${t.baseUrl}/v2/`)).map((e) => e.status)).toEqual([401, 202]);
    expect(events.filter((e) => e.url.startsWith(reg.tokenServer!.url)).map((e) => e.status)).toEqual([200]);
  });

  it('fetches one token for a burst of concurrent requests and none once cached', async () => {
    const events: DebugEvent[] = [];
    const t = transport({ username: 'alice', password: PASSWORD }, events);
    await (await t.request({ method: 'GET', url: '/v2/' })).dump();
    reg.tokenServer!.requests.length = 0;
    events.length = 0;
    const scopes = ['repository:burst:pull'];
    const all = await Promise.all(Array.from({ length: 8 }, () => t.request({ method: 'GET', url: '/v2/burst/tags/list', scopes })));
    await Promise.all(all.map((r) => r.dump()));
    expect(reg.tokenServer!.requests).toHaveLength(1);
    // challenge already known: every request went out authorized, no 401 round trips
    expect(events.filter((e) => e.status === 401)).toHaveLength(0);
  });

  it('shares tokens between transports given one cache, keyed by sorted scopes', async () => {
    const { TokenCache } = await import('../src/auth/index.js');
    const tokenCache = new TokenCache();
    const a = transport({ username: 'alice', password: PASSWORD }, [], { tokenCache });
    const b = transport({ username: 'alice', password: PASSWORD }, [], { tokenCache });
    await (await a.request({ method: 'GET', url: '/v2/x/tags/list', scopes: ['repository:x:pull', 'repository:y:pull'] })).dump();
    reg.tokenServer!.requests.length = 0;
    await (await b.request({ method: 'GET', url: '/v2/' })).dump();
    await (await b.request({ method: 'GET', url: '/v2/x/tags/list', scopes: ['repository:y:pull', 'repository:x:pull'] })).dump();
    expect(reg.tokenServer!.requests.filter((r) => r.scopes.includes('repository:x:pull'))).toHaveLength(0);
  });

  it('exchanges an identity token with an OAuth2 refresh_token POST', async () => {
    const offline = await fetch(`${reg.tokenServer!.realm}?service=${reg.tokenServer!.service}&offline_token=true`, {
      headers: { authorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` },
    });
    const { refresh_token: identityToken } = (await offline.json()) as { refresh_token: string };
    reg.tokenServer!.requests.length = 0;
    const t = transport({ identityToken });
    const res = await t.request({ method: 'GET', url: '/v2/_catalog', scopes: ['registry:catalog:*'] });
    expect(res.status).toBe(200);
    await res.dump();
    expect(reg.tokenServer!.requests[0]).toMatchObject({ method: 'POST', grantType: 'refresh_token', clientId: 'nextdeploy-tui', user: 'alice' });
  });

  it('explains a rejected identity token', async () => {
    const err = await rejection(transport({ identityToken: 'revoked-identity-token' }).request({ method: 'GET', url: '/v2/_catalog' }));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toMatch(/the saved identity token was rejected \(401 [A-Z_]+\); it may have expired; run "nextdeploy-tui login 127\.0\.0\.1:\d+"$/);
    expect(err.message).not.toContain('revoked-identity-token');
  });
});

/**
 * A registry plus token service that behaves in ways the real token server cannot be made to:
 * an OAuth2-only realm, short-lived tokens, `access_token` only.
 */
interface FakeOptions {
  /** Answer GET on the realm with this status (OAuth2-only services answer 404/405). */
  realmGetStatus?: number;
  expiresIn?: number;
}
async function fakeBearerRegistry(opts: FakeOptions = {}) {
  let issued = 0;
  const tokenRequests: RecordedRequest[] = [];
  const server: RecordingServer = await startRecordingServer((req: IncomingMessage, res, rec) => {
    const url = new URL(rec.url, 'http://x');
    if (url.pathname === '/token') {
      tokenRequests.push(rec);
      if (req.method === 'GET' && opts.realmGetStatus) {
        res.writeHead(opts.realmGetStatus).end();
        return;
      }
      issued++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `fake-token-${issued}`, expires_in: opts.expiresIn ?? 300 }));
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!/^Bearer (fake-token-\d+|registry-token-value)$/.test(auth)) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${server.url}/token",service="fake"`, 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    res.writeHead(200).end('ok');
  });
  return { server, tokenRequests, registryRequests: () => server.requests.filter((r) => !r.url.startsWith('/token')) };
}

describe('token flows a real registry cannot show', () => {
  it('falls back to an OAuth2 password POST when the realm refuses GET', async () => {
    const fake = await fakeBearerRegistry({ realmGetStatus: 405 });
    const t = createTransport(fake.server.host, { keychain: staticKeychain({ [fake.server.host]: { username: 'alice', password: PASSWORD } }) });
    const res = await t.request({ method: 'GET', url: '/v2/a/tags/list', scopes: ['repository:a:pull'] });
    expect(await res.text()).toBe('ok');
    const [get, post] = fake.tokenRequests;
    expect(get!.method).toBe('GET');
    expect(get!.headers.authorization).toMatch(/^Basic /);
    expect(post!.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(post!.body.toString()))).toEqual({
      grant_type: 'password',
      username: 'alice',
      password: PASSWORD,
      service: 'fake',
      scope: 'repository:a:pull',
      client_id: 'nextdeploy-tui',
    });
  });

  it('refreshes a short-lived token before it expires', async () => {
    const fake = await fakeBearerRegistry({ expiresIn: 1 });
    const t = createTransport(fake.server.host, {});
    const get = async () => (await t.request({ method: 'GET', url: '/v2/a/tags/list', scopes: ['repository:a:pull'] })).text();
    expect(await get()).toBe('ok');
    expect(await get()).toBe('ok');
    expect(fake.tokenRequests).toHaveLength(1);
    // anonymous: no credentials went to the realm
    expect(fake.tokenRequests[0]!.headers.authorization).toBeUndefined();
    await new Promise((r) => setTimeout(r, 600));
    expect(await get()).toBe('ok');
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('sends a registry token as-is, with no token service round trip', async () => {
    const fake = await fakeBearerRegistry();
    const t = createTransport(fake.server.host, { keychain: staticKeychain({ [fake.server.host]: { registryToken: 'registry-token-value' } }) });
    expect(await (await t.request({ method: 'GET', url: '/v2/' })).text()).toBe('ok');
    expect(fake.tokenRequests).toHaveLength(0);
    expect(fake.registryRequests()).toHaveLength(1);
  });
});

describe('realm validation', () => {
  const bearer = (realm: string) => ({ scheme: 'bearer', params: { realm, service: 's' } });
  const calls: TokenHttpRequest[] = [];
  const http = async (req: TokenHttpRequest) => {
    calls.push(req);
    return { status: 200, text: async () => '{"token":"t"}' };
  };

  it('accepts only http(s) realms, and plain http only for insecure registries', () => {
    expect(() => validateRealm('r.example', 'file:///etc/passwd', { registryInsecure: true })).toThrow(/token realm scheme file: is not http\(s\)/);
    expect(() => validateRealm('r.example', 'http://auth.example/token', { registryInsecure: false })).toThrow(AuthenticationError);
    expect(() => validateRealm('r.example', undefined, { registryInsecure: false })).toThrow(/names no token realm/);
    expect(validateRealm('r.example', 'http://auth.example/token', { registryInsecure: true }).host).toBe('auth.example');
  });

  it('never sends registry credentials to a plain-http realm off this machine', async () => {
    calls.length = 0;
    const base = { registry: 'r.example:5000', scopes: [], http, registryInsecure: true };
    const err = await rejection(fetchBearerToken({ ...base, challenge: bearer('http://auth.example/token'), auth: { username: 'u', password: 'p' } }));
    expect(err.message).toBe('r.example:5000: refusing to send credentials to token service http://auth.example over plain http; serve the token realm over https');
    expect(calls).toHaveLength(0);
    // anonymous is fine: nothing secret goes out
    await fetchBearerToken({ ...base, challenge: bearer('http://auth.example/token'), auth: {} });
    expect(calls).toHaveLength(1);
  });
});

describe('secrets stay out of logs and errors', () => {
  it('never shows passwords, tokens or Basic blobs in debug events or error messages', async () => {
    const reg = await startRegistry({ auth: 'htpasswd' });
    const tokenReg = await startRegistry({ auth: 'token' });
    const fake = await fakeBearerRegistry();
    const events: DebugEvent[] = [];
    const messages: string[] = [];
    const onDebug = (e: DebugEvent) => events.push(e);
    const secrets = [PASSWORD, 'wrong-password-42', 'registry-token-value', 'fake-token-1', 'fake-token-2', 'bogus-identity'];
    const basicBlob = Buffer.from(`alice:${PASSWORD}`).toString('base64');

    const run = async (host: string, auth: AuthConfig, url: string, scopes?: string[]) => {
      const t = createTransport(host, { keychain: staticKeychain({ [host]: auth }), onDebug });
      try {
        await (await t.request({ method: 'GET', url: `${url}?token=fake-token-2`, ...(scopes ? { scopes } : {}) })).dump();
      } catch (err) {
        messages.push(String((err as Error).message), String((err as Error).stack));
      }
    };
    await run(reg.host, { username: 'alice', password: PASSWORD }, '/v2/_catalog');
    await run(reg.host, { username: 'alice', password: 'wrong-password-42' }, '/v2/_catalog');
    await run(tokenReg.host, { username: 'alice', password: PASSWORD }, '/v2/_catalog', ['registry:catalog:*']);
    await run(tokenReg.host, { username: 'alice', password: 'wrong-password-42' }, '/v2/_catalog', ['registry:catalog:*']);
    await run(tokenReg.host, { identityToken: 'bogus-identity' }, '/v2/_catalog');
    await run(fake.server.host, { registryToken: 'registry-token-value' }, '/v2/');
    await run(fake.server.host, {}, '/v2/');

    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(events.length).toBeGreaterThan(10);
    const haystack = JSON.stringify(events) + messages.join('\n');
    for (const secret of [...secrets, basicBlob]) expect(haystack).not.toContain(secret);
    expect(events.every((e) => !e.url.includes('?') || e.url.endsWith('?…'))).toBe(true);
  });
});

describe('shared token fetches', () => {
  it('do not fail a waiting request when the request that started the fetch is aborted', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let gated = false;
    let issued = 0;
    const server = await startRecordingServer(async (req, res, rec) => {
      if (rec.url.startsWith('/token')) {
        if (gated) await gate;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `slow-token-${++issued}` }));
      } else if (/^Bearer slow-token-\d$/.test(req.headers.authorization ?? '')) {
        res.writeHead(200).end('ok');
      } else {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${rec.headers.host}/token",service="s"` }).end();
      }
    });
    const t = createTransport(server.host, {});
    await (await t.request({ method: 'GET', url: '/v2/' })).dump();
    gated = true;
    const impatient = new AbortController();
    const first = t.request({ method: 'GET', url: '/v2/a/tags/list', scopes: ['repository:a:pull'], signal: impatient.signal });
    const second = t.request({ method: 'GET', url: '/v2/a/tags/list', scopes: ['repository:a:pull'] });
    await new Promise((r) => setTimeout(r, 50));
    impatient.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    release();
    expect(await (await second).text()).toBe('ok');
  });
});
