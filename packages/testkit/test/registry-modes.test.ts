import { afterAll, describe, expect, it } from 'vitest';
import { parseAccessLog, pushRandomImage, skopeo, skopeoCreds, startRegistry, stopAll } from '../src/index.js';

afterAll(stopAll);

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('auth: none', () => {
  it('serves /v2/ and round-trips an image pushed with skopeo', async () => {
    const reg = await startRegistry();
    expect(reg.mode).toBe('none');
    expect(reg.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);

    const pushed = await pushRandomImage(reg, 'team/app:v1', { layers: 2, layerSize: 2048 });
    const res = await fetch(`${reg.url}/v2/team/app/manifests/v1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toBe(pushed.digest);
    const manifest = (await res.json()) as { layers: Array<{ digest: string }> };
    expect(manifest.layers.map((l) => l.digest)).toEqual(pushed.images[0]?.layers.map((l) => l.digest));
  });

  it('has deletes enabled (DELETE manifest -> 202)', async () => {
    const reg = await startRegistry();
    const pushed = await pushRandomImage(reg, 'gone:v1');
    const del = await fetch(`${reg.url}/v2/gone/manifests/${pushed.digest}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
  });

  it('writes an access log that tests can read', async () => {
    const reg = await startRegistry();
    const before = reg.logs().length;
    await fetch(`${reg.url}/v2/_catalog`, { headers: { 'user-agent': 'log-probe' } });
    const text = await reg.waitForLog(/GET \/v2\/_catalog/, { since: before });
    expect(parseAccessLog(text)).toEqual([
      { method: 'GET', uri: '/v2/_catalog', status: 200, responseBytes: 20, userAgent: 'log-probe' },
    ]);
  });
});

describe('auth: htpasswd', () => {
  it('accepts the right password, rejects a wrong one with 401', async () => {
    const reg = await startRegistry({ auth: 'htpasswd', users: { bob: 'builder-pass', alice: 'wonderland-secret' } });
    expect((await fetch(`${reg.url}/v2/`)).status).toBe(401);
    expect((await fetch(`${reg.url}/v2/`, { headers: { authorization: basic('bob', 'nope') } })).status).toBe(401);
    expect((await fetch(`${reg.url}/v2/`, { headers: { authorization: basic('bob', 'builder-pass') } })).status).toBe(200);
  });

  it('pushes with --dest-creds and reads back with --creds; wrong creds fail', async () => {
    const reg = await startRegistry({ auth: 'htpasswd' });
    expect(reg.users).toEqual({ alice: 'wonderland-secret' });
    const pushed = await pushRandomImage(reg, 'secure/app:1.0');
    const inspect = await skopeo(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/secure/app:1.0`]);
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout).config.digest).toBe(pushed.images[0]?.configDigest);
    const denied = await skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', 'alice:wrong', `docker://${reg.host}/secure/app:1.0`]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/401|unauthorized/i);
  });
});

describe('auth: token', () => {
  it('challenges with Bearer realm/service of our token server', async () => {
    const reg = await startRegistry({ auth: 'token' });
    const res = await fetch(`${reg.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${reg.tokenServer?.realm}",service="${reg.tokenServer?.service}"`,
    );
  });

  it('lets an authenticated user push and pull with skopeo and records the scopes asked', async () => {
    const reg = await startRegistry({ auth: 'token' });
    const pushed = await pushRandomImage(reg, 'org/svc:2', { layers: 1, layerSize: 512 });
    const pull = await skopeo(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/org/svc:2`]);
    expect(pull.code).toBe(0);
    expect(JSON.parse(pull.stdout).layers[0].digest).toBe(pushed.images[0]?.layers[0]?.digest);
    const requests = reg.tokenServer?.requests ?? [];
    expect(requests.some((r) => r.user === 'alice' && r.scopes.includes('repository:org/svc:pull,push'))).toBe(true);
    expect(requests.some((r) => r.user === 'alice' && r.scopes.includes('repository:org/svc:pull'))).toBe(true);
    expect(JSON.stringify(requests)).not.toContain('wonderland-secret');
  });

  it('denies anonymous push (empty access -> 401 insufficient_scope)', async () => {
    const reg = await startRegistry({ auth: 'token' });
    const tokenRes = await fetch(`${reg.tokenServer?.realm}?service=${reg.tokenServer?.service}&scope=repository:x/y:pull,push`);
    expect(tokenRes.status).toBe(200);
    const { token } = (await tokenRes.json()) as { token: string };
    const upload = await fetch(`${reg.url}/v2/x/y/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(upload.status).toBe(401);
    expect(upload.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const anonymousRecord = reg.tokenServer?.requests.at(-1);
    expect(anonymousRecord).toMatchObject({ user: undefined, status: 200, granted: [] });

    const push = await pushRandomImage(reg, 'x/y:1', { user: null }).catch((err: Error) => err);
    expect(push).toBeInstanceOf(Error);
  });

  it('gives anonymous pull only when anonymousPull is set', async () => {
    const reg = await startRegistry({ auth: 'token', anonymousPull: true });
    await pushRandomImage(reg, 'pub/lic:1');
    const pull = await skopeo(['inspect', '--raw', ...skopeoCreds(reg, { user: null }), `docker://${reg.host}/pub/lic:1`]);
    expect(pull.code).toBe(0);
    const tokenRes = await fetch(`${reg.tokenServer?.realm}?service=${reg.tokenServer?.service}&scope=repository:pub/lic:pull,push&scope=repository:other:pull`);
    const body = (await tokenRes.json()) as { token: string };
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1] ?? '', 'base64url').toString()) as { access: unknown; aud: unknown };
    expect(claims.aud).toBe(reg.tokenServer?.service);
    expect(claims.access).toEqual([
      { type: 'repository', name: 'pub/lic', actions: ['pull'] },
      { type: 'repository', name: 'other', actions: ['pull'] },
    ]);
    expect(reg.tokenServer?.requests.at(-1)?.scopes).toEqual(['repository:pub/lic:pull,push', 'repository:other:pull']);
  });

  it('answers GET with token/access_token/expires_in/issued_at and a wrong password with 401 JSON', async () => {
    const reg = await startRegistry({ auth: 'token', tokenTtlSeconds: 120 });
    const ts = reg.tokenServer!;
    const ok = await fetch(`${ts.realm}?service=${ts.service}&scope=repository:a:pull`, { headers: { authorization: basic('alice', 'wonderland-secret') } });
    const body = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'issued_at', 'token']);
    expect(body.expires_in).toBe(120);
    expect(body.token).toBe(body.access_token);
    const bad = await fetch(`${ts.realm}?service=${ts.service}`, { headers: { authorization: basic('alice', 'nope') } });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { details: string }).details).toBe('incorrect username or password');
    expect(ts.requests.at(-1)).toMatchObject({ method: 'GET', user: 'alice', status: 401 });
  });

  it('supports OAuth2 POST password and refresh_token grants', async () => {
    const reg = await startRegistry({ auth: 'token' });
    const ts = reg.tokenServer!;
    const form = (fields: Record<string, string>): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const first = await fetch(ts.realm, form({ grant_type: 'password', username: 'alice', password: 'wonderland-secret', client_id: 'nextdeploy', service: ts.service, scope: 'repository:r:pull,push' }));
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string };
    expect(tokens.refresh_token).toBeTruthy();
    const second = await fetch(ts.realm, form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'nextdeploy', service: ts.service, scope: 'repository:r:pull' }));
    expect(second.status).toBe(200);
    const { access_token } = (await second.json()) as { access_token: string };
    const tags = await fetch(`${reg.url}/v2/r/tags/list`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(tags.status).toBe(404); // authorised; the repository simply does not exist yet
    const wrong = await fetch(ts.realm, form({ grant_type: 'password', username: 'alice', password: 'x', client_id: 'c' }));
    expect(wrong.status).toBe(401);
    const badRefresh = await fetch(ts.realm, form({ grant_type: 'refresh_token', refresh_token: 'forged', client_id: 'c' }));
    expect(badRefresh.status).toBe(401);
    expect(ts.requests.map((r) => [r.method, r.grantType, r.user, r.status])).toEqual([
      ['POST', 'password', 'alice', 200],
      ['POST', 'refresh_token', 'alice', 200],
      ['POST', 'password', 'alice', 401],
      ['POST', 'refresh_token', undefined, 401],
    ]);
    expect(ts.requests[0]?.clientId).toBe('nextdeploy');
  });

  it('applies a custom grant policy (pull-only user)', async () => {
    const reg = await startRegistry({
      auth: 'token',
      users: { reader: 'read-only-pass' },
      grant: ({ user, requested }) => (user ? requested.actions.filter((a) => a === 'pull') : []),
    });
    const push = await pushRandomImage(reg, 'ro/img:1', { user: 'reader' }).catch((err: Error) => err);
    expect(push).toBeInstanceOf(Error);
    expect(String(push)).not.toContain('read-only-pass');
  });
});
