import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, startRecordingServer, stopAll, type RecordingServer } from '@nextdeploy/testkit';
import { InsecureTransportError, TransportError } from '../src/errors/index.js';
import { staticKeychain } from '../src/auth/index.js';
import { createTransport, type DebugEvent } from '../src/transport/index.js';

afterAll(stopAll);

const PASSWORD = 'redirect-test-password';

/** Plays a Basic-auth registry whose blobs live on another origin (object storage). */
function fakeRegistry(storage: () => RecordingServer) {
  return startRecordingServer((req, res) => {
    if (!req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end();
      return;
    }
    const path = req.url ?? '';
    if (path.startsWith('/v2/app/blobs/')) {
      res.writeHead(307, { location: `${storage().url}/bucket/blob?X-Amz-Signature=sig-secret` }).end();
    } else if (path === '/v2/rel/a') {
      res.writeHead(302, { location: '../other' }).end();
    } else if (path === '/v2/loop') {
      res.writeHead(302, { location: '/v2/loop' }).end();
    } else if (path === '/v2/see-other') {
      res.writeHead(303, { location: '/v2/landed' }).end();
    } else {
      res.writeHead(200).end(`${req.method} ${path}`);
    }
  });
}

describe('redirects', () => {
  let storage: RecordingServer;
  let registry: RecordingServer;
  beforeAll(async () => {
    storage = await startRecordingServer({ status: 200, body: 'blob bytes' });
    registry = await fakeRegistry(() => storage);
  });
  const transport = (events: DebugEvent[] = []) =>
    createTransport(registry.host, {
      keychain: staticKeychain({ [registry.host]: { username: 'alice', password: PASSWORD } }),
      onDebug: (e) => events.push(e),
    });

  it('drops Authorization and cookies when a blob redirect leaves the registry origin', async () => {
    storage.requests.length = 0;
    const events: DebugEvent[] = [];
    const res = await transport(events).request({ method: 'GET', url: '/v2/app/blobs/sha256:abc', headers: { Cookie: 'session=1' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('blob bytes');
    expect(res.url).toBe(`${storage.url}/bucket/blob?X-Amz-Signature=sig-secret`);
    expect(registry.requests.at(-1)!.headers.authorization).toMatch(/^Basic /);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]!.headers.authorization).toBeUndefined();
    expect(storage.requests[0]!.headers.cookie).toBeUndefined();
    // the signed query string never reaches the debug log
    expect(JSON.stringify(events)).not.toContain('sig-secret');
    expect(events.find((e) => e.note?.startsWith('redirect'))?.note).toBe(`redirect to ${storage.url}/bucket/blob?…`);
  });

  it('gives an upload Location on another origin no credentials', async () => {
    storage.requests.length = 0;
    const t = transport();
    await (await t.request({ method: 'GET', url: '/v2/' })).dump();
    const res = await t.request({ method: 'PUT', url: `${storage.url}/upload/1?_state=abc&digest=sha256:x`, body: 'data', scopes: ['repository:app:push'] });
    expect(res.status).toBe(200);
    expect(storage.requests[0]!.headers.authorization).toBeUndefined();
    expect(storage.requests[0]!.body.toString()).toBe('data');
  });

  it('keeps credentials on a relative same-origin redirect', async () => {
    const res = await transport().request({ method: 'GET', url: '/v2/rel/a' });
    expect(await res.text()).toBe('GET /v2/other');
    expect(registry.requests.at(-1)!.headers.authorization).toMatch(/^Basic /);
  });

  it('turns a 303 after POST into a body-less GET', async () => {
    const res = await transport().request({ method: 'POST', url: '/v2/see-other', body: 'form' });
    expect(await res.text()).toBe('GET /v2/landed');
    expect(registry.requests.at(-1)!.body.length).toBe(0);
  });

  it('stops after 10 redirects', async () => {
    await expect(transport().request({ method: 'GET', url: '/v2/loop' })).rejects.toThrow(TransportError);
    await expect(transport().request({ method: 'GET', url: '/v2/loop' })).rejects.toThrow(/more than 10 redirects/);
  });

  it('hands back the redirect itself when asked not to follow', async () => {
    const res = await transport().request({ method: 'GET', url: '/v2/app/blobs/sha256:abc', followRedirects: false });
    expect(res.status).toBe(307);
  });
});

describe('https and insecure registries', () => {
  let dir: string;
  let https: Server;
  let httpsHost: string;
  let plain: RecordingServer;

  beforeAll(async () => {
    dir = await makeTempDir('tls');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ]);
    plain = await startRecordingServer({ status: 200, body: 'plain' });
    https = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (req, res) => {
      if (req.url === '/v2/downgrade') res.writeHead(302, { location: `${plain.url}/v2/stolen` }).end();
      else res.writeHead(200).end(`tls ${req.url}`);
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    httpsHost = `127.0.0.1:${(https.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
    await removeDir(dir);
  });

  it('talks unverified TLS to an insecure registry that has it', async () => {
    const t = createTransport(httpsHost, { insecureRegistries: [`https://${httpsHost}/`] });
    const res = await t.request({ method: 'GET', url: '/v2/' });
    expect(await res.text()).toBe('tls /v2/');
    expect(t.baseUrl).toBe(`https://${httpsHost}`);
  });

  it('refuses a redirect from https to plain http', async () => {
    plain.requests.length = 0;
    const t = createTransport(httpsHost, { insecureRegistries: [httpsHost] });
    const err = await t.request({ method: 'GET', url: '/v2/downgrade' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsecureTransportError);
    expect((err as Error).message).toBe(
      `refusing to downgrade from https://${httpsHost}/v2/downgrade to plain http ${plain.url}/v2/stolen; the registry or a proxy sent an insecure URL; report it to its operator`,
    );
    expect(plain.requests).toHaveLength(0);
  });

  it('refuses an absolute plain-http URL (upload Location) on an https registry', async () => {
    const t = createTransport(httpsHost, { insecureRegistries: [httpsHost] });
    await expect(t.request({ method: 'PUT', url: `${plain.url}/upload?_state=x`, body: 'x' })).rejects.toThrow(InsecureTransportError);
    expect(plain.requests.filter((r) => r.url.startsWith('/upload'))).toHaveLength(0);
  });

  it('falls back to plain http when an insecure registry does not speak TLS', async () => {
    const events: DebugEvent[] = [];
    const t = createTransport(plain.host, { insecureRegistries: [plain.host], onDebug: (e) => events.push(e) });
    const res = await t.request({ method: 'GET', url: '/v2/' });
    expect(await res.text()).toBe('plain');
    expect(t.baseUrl).toBe(`http://${plain.host}`);
    expect(events.some((e) => /falling back to plain http/.test(e.note ?? ''))).toBe(true);
  });
});
