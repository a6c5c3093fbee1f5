import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import { computeDigest, createRegistryClient } from '../src/index.js';

afterAll(stopAll);

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});

/** A source that sends some bytes, then fails the way a broken disk or a dropped source connection does. */
function failingSource(): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.alloc(64 * 1024, 1));
        setTimeout(() => this.destroy(new Error('source read failed')), 20);
      }
    },
  });
}

describe('an upload whose source fails', () => {
  it.each(['put', 'patch'] as const)('ends promptly with an error (%s) and the blob never appears', async (strategy) => {
    const client = createRegistryClient(registry.host, { timeoutMs: 30_000, retry: { retries: 0 } });
    const digest = computeDigest(Buffer.alloc(128 * 1024, 1));
    const started = Date.now();
    await expect(client.uploadBlob('upload/fail', { digest, size: 128 * 1024 }, failingSource, { strategy })).rejects.toThrow();
    // well under the 30 s request timeout: the failure travelled down the body instead of stalling it
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await client.headBlob('upload/fail', digest)).toBeUndefined();
  });
});
