/**
 * What the engine promises beyond plain copying: mounts within a registry, skipping what exists,
 * docker-archive round trips, auth modes, and never leaving a destination pointing at bad or
 * missing data when a copy fails or is cancelled.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOciLayout, pushRandomImage, startFaultProxy, startLinkShaper, startRegistry, stopAll, type PushedImage, type TestRegistry } from '@nextdeploy/testkit';
import { DigestMismatchError, createRegistryClient, isAbortError, type CopyEvent, type Digest } from '../src/index.js';
import { LINK_LATENCY_MS, NARROW_STREAMS } from '../src/copy/stream-gate.js';
import { eventsOf, keychainFor, runCopy, tagIsAbsentOrComplete, tempDir } from './copy-fixtures.js';

afterAll(stopAll);

let a: TestRegistry;
let b: TestRegistry;
let image: PushedImage;

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  image = await pushRandomImage(a, 'src/app:v1', { layers: 4, layerSize: 256 * 1024 });
}, 60_000);

const uploadBytes = (events: { method: string; url: string; bytesToTarget: number }[]): number =>
  events.filter((e) => (e.method === 'PATCH' || e.method === 'PUT') && e.url.includes('/blobs/uploads/')).reduce((n, e) => n + e.bytesToTarget, 0);

describe('same registry, another repository', () => {
  it('mounts every blob: no layer bytes travel', async () => {
    const proxy = await startFaultProxy({ target: a });
    const { summary, events } = await runCopy(`${proxy.host}/src/app:v1`, `${proxy.host}/mounted/app:v1`);
    expect(summary.blobs).toEqual({ total: 5, copied: 0, skipped: 0, mounted: 5 });
    expect(summary.bytes.moved).toBe(0);
    expect(eventsOf(events, 'blob-mount').map((e) => e.from)).toEqual(Array(5).fill('src/app'));
    expect(uploadBytes(proxy.events)).toBe(0);
    expect(proxy.events.filter((e) => e.method === 'GET' && e.url.includes('/blobs/'))).toHaveLength(0);
    expect(await tagIsAbsentOrComplete(`${a.host}/mounted/app:v1`)).toBe('complete');
  });
});

describe('rerun', () => {
  it('skips everything when the destination already has the image', async () => {
    await runCopy(image.reference, `${b.host}/rerun/app:v1`);
    const proxy = await startFaultProxy({ target: b });
    const { summary, events } = await runCopy(image.reference, `${proxy.host}/rerun/app:v1`);
    expect(summary).toMatchObject({ upToDate: true, digest: image.digest, blobs: { total: 5, copied: 0, skipped: 5, mounted: 0 } });
    expect(eventsOf(events, 'blob-skip')).toHaveLength(5);
    expect(proxy.events.map((e) => e.method)).toEqual(['HEAD']);
  });

  it('transfers only what is missing: one platform first, then the whole index', async () => {
    const multi = await pushRandomImage(a, 'src/multi:v1', {
      layers: 2,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    });
    const amd64 = multi.images.find((i) => i.platform.architecture === 'amd64')!;
    await runCopy(multi.reference, `${b.host}/partial/app:v1`, { platforms: ['linux/amd64'] });
    const { summary, events } = await runCopy(multi.reference, `${b.host}/partial/app:v1`);
    const amd64Blobs = [amd64.configDigest, ...amd64.layers.map((l) => l.digest)];
    expect(eventsOf(events, 'blob-skip').map((e) => e.digest).sort()).toEqual([...amd64Blobs].sort());
    expect(summary).toMatchObject({ digest: multi.digest, blobs: { total: 6, copied: 3, skipped: 3 } });
    expect(await tagIsAbsentOrComplete(`${b.host}/partial/app:v1`)).toBe('complete');
  });
});

describe('bodies streaming at once', () => {
  /**
   * A proxy in front of registry `a` that holds every blob GET for 400 ms and records the most
   * held together: a blob whose body has not started yet cannot have finished, so with a gate of N
   * no more than N can be held at once. `manifestDelayMs` makes the source look far away.
   */
  async function pullThroughHoldingProxy(manifestDelayMs: number): Promise<number> {
    let held = 0;
    let most = 0;
    const proxy = await startFaultProxy({
      target: a,
      fault: async (req) => {
        if (req.method === 'GET' && req.url?.includes('/manifests/')) await new Promise((r) => setTimeout(r, manifestDelayMs));
        if (req.method === 'GET' && req.url?.includes('/blobs/sha256:')) {
          most = Math.max(most, ++held);
          await new Promise((r) => setTimeout(r, 400));
          held--;
        }
        return 'pass';
      },
    });
    const out = await tempDir('stream-gate');
    try {
      const { summary } = await runCopy(`${proxy.host}/src/app:v1`, `oci:${join(out.dir, 'layout')}:v1`);
      expect(summary.blobs.copied).toBe(5);
      return most;
    } finally {
      await out.remove();
      await proxy.stop();
    }
  }

  it('pulls into an OCI layout NARROW_STREAMS bodies at a time from a near registry', async () => {
    expect(await pullThroughHoldingProxy(0)).toBe(NARROW_STREAMS);
  });

  it('streams every blob at once (up to --jobs) from a far registry', async () => {
    expect(await pullThroughHoldingProxy(LINK_LATENCY_MS + 10)).toBe(5);
  });
});

describe('docker-archive round trip', () => {
  it('archive -> registry -> archive keeps config and diff_ids', async () => {
    const out = await tempDir('roundtrip');
    try {
      const first = join(out.dir, 'first.tar');
      const second = join(out.dir, 'second.tar');
      await runCopy(image.reference, `docker-archive:${first}:acme/app:v1`);
      const pushed = await runCopy(`docker-archive:${first}`, `${b.host}/roundtrip/app:v1`);
      expect(eventsOf(pushed.events, 'blob-compressed')).toHaveLength(4);
      const pulled = await runCopy(`${b.host}/roundtrip/app:v1`, `docker-archive:${second}:acme/app:v1`);
      // Same config bytes (so same diff_ids) and the same uncompressed layers: the archives describe one image.
      const readBack = await runCopy(`docker-archive:${second}`, `oci:${join(out.dir, 'layout')}`);
      expect(readBack.summary.sourceDigest).toBe(pushed.summary.sourceDigest);
      expect(pulled.summary.sourceDigest).toBe(pushed.summary.digest);
      const rerun = await runCopy(`docker-archive:${first}`, `${b.host}/roundtrip/app:v1`);
      expect(rerun.summary).toMatchObject({ digest: pushed.summary.digest, blobs: { copied: 0, skipped: 5 } });
    } finally {
      await out.remove();
    }
  });
});

describe('authenticated registries', () => {
  it('copies from an htpasswd registry to a token registry', async () => {
    const [basic, token] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'token' })]);
    const keychain = keychainFor(basic, token);
    await runCopy(image.reference, `${basic.host}/auth/app:v1`, { keychain });
    const { summary } = await runCopy(`${basic.host}/auth/app:v1`, `${token.host}/auth/app:v1`, { keychain });
    expect(summary.digest).toBe(image.digest);
    // and a same-registry mount under token auth needs pull on the source repo in the same token
    const mounted = await runCopy(`${token.host}/auth/app:v1`, `${token.host}/auth2/app:v1`, { keychain });
    expect(mounted.summary.blobs.mounted).toBe(5);
    expect(await tagIsAbsentOrComplete(`${token.host}/auth2/app:v1`, keychain)).toBe('complete');
    await expect(runCopy(image.reference, `${token.host}/anon/app:v1`)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('failures leave nothing half-written', () => {
  it('a corrupt blob from the source aborts its upload: no blob, no tag at the destination', async () => {
    const victim = image.images[0]!.layers[1]!;
    const proxy = await corruptingProxy(victim);
    const events: CopyEvent[] = [];
    const err = await runCopy(`${proxy.host}/src/app:v1`, `${b.host}/corrupt/app:v1`, { onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect(await tagIsAbsentOrComplete(`${b.host}/corrupt/app:v1`)).toBe('absent');
    const client = createRegistryClient(b.host);
    expect(await client.headBlob('corrupt/app', victim.digest as Digest)).toBeUndefined();
  });

  it('a corrupt blob bound for an OCI layout (which trusts the source check) is never stored', async () => {
    const victim = image.images[0]!.layers[1]!;
    const proxy = await corruptingProxy(victim);
    const out = await tempDir('oci-corrupt');
    try {
      const err = await runCopy(`${proxy.host}/src/app:v1`, `oci:${out.dir}:v1`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DigestMismatchError);
      const blobs = await readdir(join(out.dir, 'blobs', 'sha256')).catch(() => [] as string[]);
      expect(blobs.filter((name) => `sha256:${name}` === victim.digest)).toEqual([]);
      expect(await readFile(join(out.dir, 'index.json'), 'utf8').catch(() => 'absent')).toBe('absent');
    } finally {
      await out.remove();
    }
  });

  it('an abort mid-copy into an existing OCI layout leaves it exactly as it was', async () => {
    const big = await pushRandomImage(a, 'src/big:v1', { layers: 6, layerSize: 1024 * 1024 });
    const slow = await startLinkShaper({ target: a, bitsPerSecond: 16e6 });
    const out = await tempDir('oci-abort');
    try {
      const existing = await buildOciLayout(out.dir, { tag: 'keep' });
      const indexBefore = await readFile(join(out.dir, 'index.json'), 'utf8');
      const blobsBefore = (await readdir(join(out.dir, 'blobs', 'sha256'))).sort();
      const controller = new AbortController();
      const started = performance.now();
      const err = await runCopy(`${slow.host}/src/big:v1`, `oci:${out.dir}:big`, {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'blob-done' && e.size > 1000) controller.abort();
        },
      }).catch((e: unknown) => e);
      expect(isAbortError(err)).toBe(true);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await readFile(join(out.dir, 'index.json'), 'utf8')).toBe(indexBefore);
      expect((await readdir(join(out.dir, 'blobs', 'sha256'))).sort()).toEqual(blobsBefore);
      expect(existing.digest).toBeDefined();
      void big;
    } finally {
      await out.remove();
    }
  });

  it('an abort before commit leaves no docker archive behind', async () => {
    const out = await tempDir('tar-abort');
    try {
      const controller = new AbortController();
      const err = await runCopy(image.reference, `docker-archive:${join(out.dir, 'x.tar')}`, {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'blob-done') controller.abort();
        },
      }).catch((e: unknown) => e);
      expect(isAbortError(err)).toBe(true);
      expect(await readdir(out.dir)).toEqual([]);
      await expect(stat(join(out.dir, 'x.tar'))).rejects.toThrow();
    } finally {
      await out.remove();
    }
  });
});

/** A proxy in front of registry `a` that answers GETs of one blob with random bytes of the right length. */
function corruptingProxy(victim: { digest: string; size: number }): ReturnType<typeof startFaultProxy> {
  return startFaultProxy({
    target: a,
    fault: (req) =>
      req.method === 'GET' && req.url?.includes(victim.digest)
        ? (_req, res) => {
            res.writeHead(200, { 'content-length': String(victim.size), 'content-type': 'application/octet-stream' });
            res.end(randomBytes(victim.size));
          }
        : 'pass',
  });
}
