import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRecordingServer, startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import { TransportError, isAbortError } from '../src/errors/index.js';
import type { Digest } from '../src/digest/index.js';
import { createRegistryClient } from '../src/registry/index.js';
import { createTransport } from '../src/transport/index.js';

afterAll(stopAll);

const TIMEOUT_MS = 300;

function blob(size: number): { bytes: Buffer; digest: Digest; size: number } {
  const bytes = randomBytes(size);
  return { bytes, size, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` as Digest };
}

/** Yields `bytes` in `pieces` parts, `gapMs` apart: a source slower than the timeout in total, never idle that long. */
function trickle(bytes: Buffer, pieces: number, gapMs: number): () => Readable {
  return () =>
    Readable.from(
      (async function* () {
        const step = Math.ceil(bytes.length / pieces);
        for (let at = 0; at < bytes.length; at += step) {
          if (at > 0) await delay(gapMs);
          yield bytes.subarray(at, at + step);
        }
      })(),
    );
}

describe('streaming against a real registry with a short idle timeout', () => {
  let reg: TestRegistry;
  const big = blob(4 * 1024 * 1024);

  beforeAll(async () => {
    reg = await startRegistry();
    await createRegistryClient(reg.host).uploadBlob('stream/a', big, big.bytes);
  });

  it('keeps an upload alive that takes longer than the timeout but never stalls that long', async () => {
    const client = createRegistryClient(reg.host, { timeoutMs: TIMEOUT_MS });
    const slow = blob(512 * 1024);
    const started = performance.now();
    await client.uploadBlob('stream/slow-up', slow, trickle(slow.bytes, 8, 100));
    expect(performance.now() - started).toBeGreaterThan(TIMEOUT_MS);
    expect(await client.headBlob('stream/slow-up', slow.digest)).toEqual({ size: slow.bytes.length });
  });

  it('does not time out a download whose reader pauses longer than the timeout', async () => {
    const client = createRegistryClient(reg.host, { timeoutMs: TIMEOUT_MS });
    const stream = await client.getBlob('stream/a', big.digest);
    const hash = createHash('sha256');
    let paused = false;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      if (!paused) {
        paused = true;
        await delay(TIMEOUT_MS * 3);
      }
    }
    expect(`sha256:${hash.digest('hex')}`).toBe(big.digest);
  });

  it('cancels a download in progress when the signal aborts', async () => {
    const client = createRegistryClient(reg.host);
    const controller = new AbortController();
    const stream = await client.getBlob('stream/a', big.digest, { signal: controller.signal });
    const read = (async () => {
      for await (const _ of stream as AsyncIterable<Buffer>) await delay(20);
    })();
    await delay(50);
    const abortedAt = performance.now();
    controller.abort();
    const error = await read.then(() => undefined, (err: unknown) => err);
    expect(isAbortError(error)).toBe(true);
    expect(performance.now() - abortedAt).toBeLessThan(500);
  });
});

describe('connection reuse after dump', () => {
  it('drains a small body so the socket is reused, and closes the socket under a large one', async () => {
    const large = Buffer.alloc(4 * 1024 * 1024, 1);
    const ports: number[] = [];
    const server = await startRecordingServer((req, res) => {
      ports.push(req.socket.remotePort!);
      res.writeHead(200).end(req.url === '/v2/large' ? large : 'small body');
    });
    const t = createTransport(server.host);
    await (await t.request({ method: 'GET', url: '/v2/small' })).dump();
    await (await t.request({ method: 'GET', url: '/v2/small' })).dump();
    expect(ports[1]).toBe(ports[0]);
    await (await t.request({ method: 'GET', url: '/v2/large' })).dump();
    await (await t.request({ method: 'GET', url: '/v2/small' })).dump();
    expect(ports[3]).not.toBe(ports[2]);
  });
});

describe('request bodies on a failed connection', () => {
  it('closes the stream a body factory opened when the connection is refused', async () => {
    const port = await freePort();
    const opened: Readable[] = [];
    const t = createTransport(`127.0.0.1:${port}`, { retry: { retries: 0 } });
    const error = await t
      .request({
        method: 'PUT',
        url: '/v2/a/blobs/uploads/x',
        body: () => {
          const s = Readable.from([Buffer.from('payload')]);
          opened.push(s);
          return s;
        },
        bodyLength: 7,
      })
      .then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toContain('connection refused');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.destroyed).toBe(true);
  });
});
