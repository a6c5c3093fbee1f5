import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import { AuthenticationError } from '../src/errors/index.js';
import { staticKeychain } from '../src/auth/index.js';
import { createTransport, type DebugEvent, type TransportOptions } from '../src/transport/index.js';

afterAll(stopAll);

const PASSWORD = 'wonderland-secret';

function transportFor(reg: TestRegistry, creds: { username: string; password: string } | undefined, extra: TransportOptions = {}) {
  const events: DebugEvent[] = [];
  const transport = createTransport(reg.host, {
    keychain: staticKeychain(creds ? { [reg.host]: creds } : {}),
    onDebug: (e) => events.push(e),
    retry: { retries: 0 },
    ...extra,
  });
  return { transport, events };
}

async function catchError(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('htpasswd registry', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'htpasswd' });
  });

  it('lists the catalog with Basic credentials and authorizes later requests up front', async () => {
    const { transport, events } = transportFor(reg, { username: 'alice', password: PASSWORD });
    const res = await transport.request({ method: 'GET', url: '/v2/_catalog' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ repositories: [] });
    // first request: one 401, then the replay with credentials
    expect(events.map((e) => e.status)).toEqual([401, 200]);

    events.length = 0;
    const again = await transport.request({ method: 'GET', url: '/v2/_catalog' });
    await again.dump();
    expect(events.map((e) => e.status)).toEqual([200]);
  });

  it('learns the challenge before sending a one-shot stream, so the stream is never wasted on a 401', async () => {
    const { transport: first } = transportFor(reg, { username: 'alice', password: PASSWORD });
    const start = await first.request({ method: 'POST', url: '/v2/stream/once/blobs/uploads/', scopes: ['repository:stream/once:pull,push'] });
    expect(start.status).toBe(202);
    await start.dump();
    const location = new URL(start.headers.get('location')!, first.baseUrl).toString();

    const { transport: fresh, events } = transportFor(reg, { username: 'alice', password: PASSWORD });
    const patch = await fresh.request({
      method: 'PATCH',
      url: location,
      body: Readable.from([Buffer.from('chunk-1 '), Buffer.from('chunk-2')]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(patch.status).toBe(202);
    expect(patch.headers.get('range')).toBe('0-14');
    expect(events.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 401', 'PATCH 202']);
  });

  it('names the user, never the password, when credentials are wrong', async () => {
    const { transport, events } = transportFor(reg, { username: 'alice', password: 'not-the-password' });
    const err = await catchError(transport.request({ method: 'GET', url: '/v2/_catalog' }));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toBe(
      `${reg.host}: credentials for alice were rejected (401 UNAUTHORIZED); check the password or run "nextdeploy-tui login ${reg.host}"`,
    );
    expect(JSON.stringify(events)).not.toContain('not-the-password');
  });

  it('tells an anonymous user to log in', async () => {
    const { transport } = transportFor(reg, undefined);
    const err = await catchError(transport.request({ method: 'GET', url: '/v2/_catalog' }));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toContain(`anonymous access was denied (401 UNAUTHORIZED); run "nextdeploy-tui login ${reg.host}"`);
  });
});

describe('token registry', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token' });
  });

  it('lists the catalog with a bearer token fetched once and reused', async () => {
    const { transport } = transportFor(reg, { username: 'alice', password: PASSWORD });
    reg.tokenServer!.requests.length = 0;
    for (let i = 0; i < 3; i++) {
      const res = await transport.request({ method: 'GET', url: '/v2/_catalog', scopes: ['registry:catalog:*'] });
      expect(res.status).toBe(200);
      await res.dump();
    }
    expect(reg.tokenServer!.requests).toHaveLength(1);
    expect(reg.tokenServer!.requests[0]).toMatchObject({ method: 'GET', user: 'alice', scopes: ['registry:catalog:*'], status: 200 });
  });

  it('learns the scope from the challenge when the caller names none', async () => {
    const { transport } = transportFor(reg, { username: 'alice', password: PASSWORD });
    const res = await transport.request({ method: 'GET', url: '/v2/_catalog' });
    expect(res.status).toBe(200);
    await res.dump();
  });

  it('pushes a blob through an upload Location with a push-scoped token', async () => {
    const { transport } = transportFor(reg, { username: 'alice', password: PASSWORD });
    const blob = Buffer.from('hello from the transport test\n');
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const scopes = ['repository:transport/push:pull,push'];
    const start = await transport.request({ method: 'POST', url: '/v2/transport/push/blobs/uploads/', scopes });
    expect(start.status).toBe(202);
    await start.dump();
    const location = new URL(start.headers.get('location')!, transport.baseUrl);
    location.searchParams.set('digest', digest);
    const put = await transport.request({
      method: 'PUT',
      url: location.toString(),
      scopes,
      body: blob,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(201);
    await put.dump();
    const head = await transport.request({ method: 'HEAD', url: `/v2/transport/push/blobs/${digest}`, scopes: ['repository:transport/push:pull'] });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(blob.length));
  });

  it('refuses an anonymous push with a login hint', async () => {
    const { transport } = transportFor(reg, undefined);
    const err = await catchError(
      transport.request({ method: 'POST', url: '/v2/transport/anon/blobs/uploads/', scopes: ['repository:transport/anon:pull,push'] }),
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toBe(
      `${reg.host}: anonymous access to repository:transport/anon:pull,push was denied (401 UNAUTHORIZED); run "nextdeploy-tui login ${reg.host}"`,
    );
  });

  it('reports a wrong password from the token service without leaking it', async () => {
    const { transport, events } = transportFor(reg, { username: 'alice', password: 'bad-password-123' });
    const err = await catchError(transport.request({ method: 'GET', url: '/v2/_catalog', scopes: ['registry:catalog:*'] }));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toMatch(/^127\.0\.0\.1:\d+: credentials for alice were rejected \(401 [A-Z_]+\); check the password or run "nextdeploy-tui login 127\.0\.0\.1:\d+"$/);
    expect(`${err.message} ${JSON.stringify(events)}`).not.toContain('bad-password-123');
  });
});
