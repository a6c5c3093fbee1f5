import { afterAll, describe, expect, it } from 'vitest';
import {
  pushRandomImage,
  startFaultProxy,
  startLinkShaper,
  startRecordingServer,
  startRegistry,
  stopAll,
  type TestRegistry,
} from '../src/index.js';

afterAll(stopAll);

/** The same registry seen through a proxy: what a client under test would be given. */
const via = (reg: TestRegistry, proxy: { host: string; url: string }): TestRegistry => ({ ...reg, host: proxy.host, url: proxy.url });

describe('startRecordingServer', () => {
  it('records method, url, headers and body, and answers with the default 200', async () => {
    const rec = await startRecordingServer();
    const res = await fetch(`${rec.url}/landing?x=1`, { method: 'PUT', body: 'payload', headers: { 'x-test': 'yes' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('recorded\n');
    expect(rec.requests).toHaveLength(1);
    expect(rec.requests[0]).toMatchObject({ method: 'PUT', url: '/landing?x=1' });
    expect(rec.requests[0]?.headers['x-test']).toBe('yes');
    expect(rec.requests[0]?.headers.authorization).toBeUndefined();
    expect(rec.requests[0]?.body.toString()).toBe('payload');
  });

  it('uses a custom handler or canned response', async () => {
    const canned = await startRecordingServer({ status: 307, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
    const res = await fetch(canned.url, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('http://127.0.0.1:1/elsewhere');
    const custom = await startRecordingServer((_req, res, recorded) => {
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end(`saw ${recorded.method}`);
    });
    expect(await (await fetch(custom.url, { method: 'DELETE' })).text()).toBe('saw DELETE');
  });
});

describe('startFaultProxy', () => {
  it('injects 429 with Retry-After, a 503, a reset and garbage, then passes through; counts requests', async () => {
    const reg = await startRegistry();
    const proxy = await startFaultProxy({
      target: reg,
      fault: (_req, n) => {
        if (n === 1) return { status: 429, headers: { 'retry-after': '2' }, body: 'slow down' };
        if (n === 2) return { status: 503 };
        if (n === 3) return 'reset';
        if (n === 4) {
          return (_r, res) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"not json');
          };
        }
        return 'pass';
      },
    });
    const first = await fetch(`${proxy.url}/v2/`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(503);
    await expect(fetch(`${proxy.url}/v2/`)).rejects.toThrow();
    await expect((await fetch(`${proxy.url}/v2/`)).json()).rejects.toThrow();
    const passed = await fetch(`${proxy.url}/v2/`);
    expect(passed.status).toBe(200);
    expect(passed.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(proxy.count).toBe(5);
    expect(proxy.events.map((e) => e.action)).toEqual(['static', 'static', 'reset', 'custom', 'pass']);
  });

  it('passes a whole skopeo push through (upload Locations point back at the proxy)', async () => {
    const reg = await startRegistry({ auth: 'htpasswd' });
    const proxy = await startFaultProxy({ target: reg });
    const pushed = await pushRandomImage(via(reg, proxy), 'through/proxy:1', { layers: 2, layerSize: 100_000 });
    const direct = await fetch(`${reg.url}/v2/through/proxy/manifests/1`, {
      method: 'HEAD',
      headers: { authorization: `Basic ${Buffer.from('alice:wonderland-secret').toString('base64')}`, accept: pushed.mediaType },
    });
    expect(direct.headers.get('docker-content-digest')).toBe(pushed.digest);
    const uploaded = proxy.events.filter((e) => e.method === 'PATCH' || e.method === 'PUT').reduce((n, e) => n + e.bytesToTarget, 0);
    const expected = pushed.images[0]!.layers.reduce((n, l) => n + l.size, 0) + pushed.images[0]!.configSize + pushed.size;
    expect(uploaded).toBe(expected);
    // The Host header reached the registry unchanged, which is why its Location URLs name the proxy.
    await reg.waitForLog(new RegExp(`http\\.request\\.host="${proxy.host}".*http\\.request\\.method=PUT`));
  });

  it('refuses a non-loopback target', async () => {
    await expect(startFaultProxy({ target: 'http://192.0.2.1:5000' })).rejects.toThrow(/not a loopback address/);
  });
});

describe('startLinkShaper', () => {
  const TEN_MB = 10 * 1024 * 1024;

  it('adds the one-way delay in each direction', async () => {
    const rec = await startRecordingServer({ status: 200, body: 'pong' });
    const shaper = await startLinkShaper({ target: rec.url, delayMs: 50 });
    const t0 = performance.now();
    expect(await (await fetch(`${shaper.url}/ping`)).text()).toBe('pong');
    const elapsed = performance.now() - t0;
    // request (50 ms) + response (50 ms); no bandwidth cap.
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(1000);
  });

  it('caps a 10 MB download near the configured rate (20 ms each way, 200 Mbit/s)', async () => {
    const body = Buffer.alloc(TEN_MB, 7);
    const rec = await startRecordingServer({ status: 200, body });
    const shaper = await startLinkShaper({ target: rec, delayMs: 20, bitsPerSecond: 200e6 });
    const t0 = performance.now();
    const got = Buffer.from(await (await fetch(`${shaper.url}/blob`)).arrayBuffer());
    const elapsed = performance.now() - t0;
    expect(got.equals(body)).toBe(true);
    const expected = (TEN_MB * 8) / 200e6 * 1000 + 40; // ~459 ms
    expect(elapsed).toBeGreaterThanOrEqual(expected * 0.9);
    expect(elapsed).toBeLessThan(expected * 2.5);
    expect(shaper.stats().connections).toBe(1);
  });

  it('caps uploads too and carries a skopeo push intact', async () => {
    const rec = await startRecordingServer();
    const shaper = await startLinkShaper({ target: rec, delayMs: 5, bitsPerSecond: 400e6 });
    const t0 = performance.now();
    const res = await fetch(`${shaper.url}/upload`, { method: 'POST', body: Buffer.alloc(TEN_MB, 1) });
    expect(res.status).toBe(200);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(((TEN_MB * 8) / 400e6) * 1000 * 0.9);
    expect(rec.requests[0]?.body.length).toBe(1024 * 1024); // recorded body is capped at 1 MiB

    const reg = await startRegistry();
    const regShaper = await startLinkShaper({ target: reg, delayMs: 2, bitsPerSecond: 1e9 });
    const pushed = await pushRandomImage(via(reg, regShaper), 'wan/app:1', { layers: 3, layerSize: 300_000 });
    const head = await fetch(`${reg.url}/v2/wan/app/manifests/1`, { method: 'HEAD', headers: { accept: pushed.mediaType } });
    expect(head.headers.get('docker-content-digest')).toBe(pushed.digest);
  });
});
