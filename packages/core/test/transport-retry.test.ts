import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startFaultProxy, startRecordingServer, startRegistry, stopAll, type RecordingHandler } from '@nextdeploy/testkit';
import { TransportError, isAbortError } from '../src/errors/index.js';
import { DEFAULT_RETRY, backoffDelay, createTransport, parseRetryAfter, type DebugEvent, type TransportOptions } from '../src/transport/index.js';

afterAll(stopAll);

/** A loopback server answering request N with `script[N-1]` (the last entry repeats). */
async function scripted(script: RecordingHandler[]) {
  let n = 0;
  const server = await startRecordingServer((req, res, rec) => script[Math.min(n++, script.length - 1)]!(req, res, rec));
  return server;
}
const status = (code: number, headers: Record<string, string> = {}): RecordingHandler => (_req, res) => {
  res.writeHead(code, headers).end(`status ${code}`);
};
const reset: RecordingHandler = (req) => {
  req.socket.destroy();
};
const hang: RecordingHandler = () => new Promise<void>(() => undefined);

function transport(host: string, options: TransportOptions = {}) {
  const events: DebugEvent[] = [];
  const t = createTransport(host, { retry: { baseDelayMs: 10 }, onDebug: (e) => events.push(e), ...options });
  return { t, events };
}

async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

describe('retries', () => {
  it('retries 503 and 502 with backoff and reports each retry', async () => {
    const server = await scripted([status(503), status(502), status(200)]);
    const { t, events } = transport(server.host);
    const res = await t.request({ method: 'GET', url: '/v2/' });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    const retries = events.filter((e) => e.note?.startsWith('retrying'));
    expect(retries.map((e) => [e.status, e.attempt])).toEqual([
      [503, 1],
      [502, 2],
    ]);
  });

  it('honours Retry-After in seconds', async () => {
    const server = await scripted([status(429, { 'retry-after': '1' }), status(200)]);
    const { t } = transport(server.host);
    const { ms, value } = await timed(t.request({ method: 'GET', url: '/v2/' }));
    expect(value?.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(2500);
  });

  it('caps an HTTP-date Retry-After at maxDelayMs', async () => {
    const later = new Date(Date.now() + 60_000).toUTCString();
    const server = await scripted([status(503, { 'retry-after': later }), status(200)]);
    const { t } = transport(server.host, { retry: { maxDelayMs: 300 } });
    const { ms, value } = await timed(t.request({ method: 'GET', url: '/v2/' }));
    expect(value?.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(1500);
  });

  it('gives up after the configured attempts and hands back the last answer', async () => {
    const server = await scripted([status(504)]);
    const { t } = transport(server.host, { retry: { retries: 2, baseDelayMs: 5 } });
    const res = await t.request({ method: 'GET', url: '/v2/' });
    expect(res.status).toBe(504);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry statuses that will not change (404, 500)', async () => {
    const server = await scripted([status(500)]);
    const { t } = transport(server.host);
    expect((await t.request({ method: 'GET', url: '/v2/' })).status).toBe(500);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a reset connection', async () => {
    const server = await scripted([reset, status(200)]);
    const { t, events } = transport(server.host);
    const res = await t.request({ method: 'GET', url: '/v2/' });
    expect(res.status).toBe(200);
    expect(events.some((e) => /retrying/.test(e.note ?? '') && e.attempt === 1)).toBe(true);
  });

  it('replays buffer and factory bodies on retry', async () => {
    const server = await scripted([status(503), status(201)]);
    const { t } = transport(server.host);
    const res = await t.request({ method: 'PUT', url: '/v2/a/blobs/uploads/x', body: () => Readable.from([Buffer.from('abc'), Buffer.from('def')]), bodyLength: 6 });
    expect(res.status).toBe(201);
    expect(server.requests.map((r) => r.body.toString())).toEqual(['abcdef', 'abcdef']);
  });

  // A one-shot stream is preceded by a `/v2/` ping (to learn any auth challenge); it answers 200 here.
  const patches = (server: { requests: Array<{ method: string }> }) => server.requests.filter((r) => r.method === 'PATCH');

  it('never retries a bare stream that already went out', async () => {
    const server = await scripted([status(200), status(503), status(201)]);
    const { t } = transport(server.host);
    const res = await t.request({ method: 'PATCH', url: '/v2/a/blobs/uploads/x', body: Readable.from([Buffer.from('payload')]) });
    expect(res.status).toBe(503);
    expect(patches(server)).toHaveLength(1);
  });

  it('turns a reset under a bare stream into one TransportError', async () => {
    const server = await scripted([status(200), reset]);
    const { t } = transport(server.host);
    const { error } = await timed(t.request({ method: 'PATCH', url: '/v2/a/blobs/uploads/x', body: Readable.from([Buffer.from('payload')]) }));
    expect(error).toBeInstanceOf(TransportError);
    expect(patches(server)).toHaveLength(1);
  });

  it('computes full-jitter backoff within its ceiling and parses Retry-After forms', () => {
    for (let retry = 1; retry <= 8; retry++) {
      const d = backoffDelay(retry, { retries: 8, baseDelayMs: 100, maxDelayMs: 3000 });
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(3000, 100 * 2 ** (retry - 1)));
    }
    expect(backoffDelay(1, DEFAULT_RETRY, 120_000)).toBe(DEFAULT_RETRY.maxDelayMs);
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('retries against a real registry behind a fault proxy', () => {
  it('rides out a 429, a reset and a 503 in front of distribution', async () => {
    const reg = await startRegistry();
    const faults = [{ status: 429, headers: { 'retry-after': '0' } }, 'reset', { status: 503 }] as const;
    const proxy = await startFaultProxy({ target: reg, fault: (_req, n) => faults[n - 1] ?? 'pass' });
    const { t, events } = transport(proxy.host);
    const res = await t.request({ method: 'GET', url: '/v2/_catalog' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ repositories: [] });
    expect(proxy.events.map((e) => e.action)).toEqual(['static', 'reset', 'static', 'pass']);
    expect(events.filter((e) => e.note?.includes('retrying'))).toHaveLength(3);
  });
});

describe('abort and timeouts', () => {
  it('aborts an in-flight request promptly', async () => {
    const server = await scripted([hang]);
    const { t } = transport(server.host);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { ms, error } = await timed(t.request({ method: 'GET', url: '/v2/', signal: controller.signal }));
    expect(isAbortError(error)).toBe(true);
    expect(ms).toBeLessThan(1000);
  });

  it('aborts a backoff sleep promptly', async () => {
    const server = await scripted([status(429, { 'retry-after': '30' })]);
    const { t } = transport(server.host);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { ms, error } = await timed(t.request({ method: 'GET', url: '/v2/', signal: controller.signal }));
    expect(isAbortError(error)).toBe(true);
    expect(ms).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects at once with an already-aborted signal', async () => {
    const server = await scripted([status(200)]);
    const { t } = transport(server.host);
    const { error } = await timed(t.request({ method: 'GET', url: '/v2/', signal: AbortSignal.abort() }));
    expect(isAbortError(error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('times out waiting for headers with a one-line TransportError', async () => {
    const server = await scripted([hang]);
    const { t } = transport(server.host);
    const { ms, error } = await timed(t.request({ method: 'GET', url: '/v2/?secret=1', timeoutMs: 200 }));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe(`http://${server.host}/v2/?…: no response within 0.2s; raise the timeout or check the network`);
    expect(ms).toBeLessThan(1500);
  });

  it('times out a body that stalls mid-way', async () => {
    const server = await scripted([
      (_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('only part');
      },
    ]);
    const { t } = transport(server.host, { timeoutMs: 200 });
    const res = await t.request({ method: 'GET', url: '/v2/a/blobs/sha256:x' });
    const { error } = await timed(res.text());
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toContain('response stalled for 0.2s');
  });
});

describe('connections', () => {
  it('reuses keep-alive connections for sequential requests and supports HEAD', async () => {
    const ports: number[] = [];
    const server = await startRecordingServer((req, res) => {
      ports.push(req.socket.remotePort!);
      res.writeHead(200, { 'content-length': '5', 'docker-content-digest': 'sha256:abc' }).end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const { t } = transport(server.host);
    for (let i = 0; i < 5; i++) expect(await (await t.request({ method: 'GET', url: '/v2/' })).text()).toBe('hello');
    const head = await t.request({ method: 'HEAD', url: '/v2/a/manifests/latest' });
    expect(head.status).toBe(200);
    expect(head.headers.get('docker-content-digest')).toBe('sha256:abc');
    expect(await head.text()).toBe('');
    // the pool may open a second socket while the first is being released, never one per request
    expect(ports).toHaveLength(6);
    expect(new Set(ports).size).toBeLessThanOrEqual(2);
  });

  it('refuses a body larger than the read limit', async () => {
    const server = await scripted([status(200)]);
    const { t } = transport(server.host);
    const res = await t.request({ method: 'GET', url: '/v2/' });
    await expect(res.bytes(3)).rejects.toThrow(/response body exceeds 3 bytes/);
  });
});
