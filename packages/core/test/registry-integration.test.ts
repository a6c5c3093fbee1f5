import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRandomImage, skopeoCreds, skopeoOk, startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import {
  MediaType,
  RegistryError,
  computeDigest,
  createRegistryClient,
  isIndex,
  staticKeychain,
  type Digest,
  type RegistryClient,
  type UploadStrategy,
} from '../src/index.js';

afterAll(stopAll);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

function blob(size: number): { bytes: Buffer; digest: Digest; size: number } {
  const bytes = randomBytes(size);
  return { bytes, digest: computeDigest(bytes), size };
}

/** Pushes a config + one layer + manifest with our client; returns the manifest bytes and digest. */
async function pushImage(client: RegistryClient, repo: string, tag: string): Promise<{ bytes: Buffer; digest: Digest }> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, nonce: Math.random() }));
  const layer = blob(2048);
  const configDigest = computeDigest(config);
  await client.uploadBlob(repo, { digest: configDigest, size: config.length }, config);
  await client.uploadBlob(repo, layer, layer.bytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.OciConfig, digest: configDigest, size: config.length },
      layers: [{ mediaType: MediaType.OciLayerGzip, digest: layer.digest, size: layer.size }],
    }),
  );
  const digest = await client.putManifest(repo, tag, manifest, MediaType.OciManifest);
  return { bytes: manifest, digest };
}

describe.each(['none', 'htpasswd', 'token'] as const)('RegistryClient against a real registry (auth: %s)', (mode) => {
  let reg: TestRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    reg = await startRegistry({ auth: mode });
    const [user, password] = Object.entries(reg.users)[0]!;
    client = createRegistryClient(reg.host, mode === 'none' ? {} : { keychain: staticKeychain({ [reg.host]: { username: user, password } }) });
  });

  it('pings', async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  const strategies: Array<[UploadStrategy, { chunkSize?: number }]> = [
    ['put', {}],
    ['patch', {}],
    ['chunked', { chunkSize: 64 * 1024 }],
    ['post', {}],
  ];
  it.each(strategies)('uploads a blob with strategy %s, from bytes and from a stream', async (strategy, extra) => {
    for (const fromStream of [false, true]) {
      const b = blob(300 * 1024 + 17);
      let progress = 0;
      const body = fromStream ? () => Readable.from([b.bytes.subarray(0, 1000), b.bytes.subarray(1000)]) : b.bytes;
      const result = await client.uploadBlob(`up/${strategy}`, b, body, { strategy, ...extra, onBytes: (n) => (progress += n) });
      expect(result).toEqual({ mounted: false });
      expect(progress).toBe(b.size);
      expect(await client.headBlob(`up/${strategy}`, b.digest)).toEqual({ size: b.size });
      const back = await readAll(await client.getBlob(`up/${strategy}`, b.digest, { expectedSize: b.size }));
      expect(back.equals(b.bytes)).toBe(true);
    }
  });

  it('uploads an empty blob', async () => {
    const b = blob(0);
    await client.uploadBlob('up/empty', b, b.bytes, { chunkSize: 1024 });
    expect(await client.headBlob('up/empty', b.digest)).toEqual({ size: 0 });
  });

  it('pushes an image that skopeo reads back with the same digest', async () => {
    const { bytes, digest } = await pushImage(client, 'ours/app', 'v1');
    const raw = await skopeoOk(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/ours/app:v1`]);
    expect(computeDigest(raw.stdout)).toBe(digest);
    expect(Buffer.from(raw.stdout).equals(bytes)).toBe(true);

    const head = await client.headManifest('ours/app', 'v1');
    expect(head).toEqual({ digest, mediaType: MediaType.OciManifest, size: bytes.length });
    const byDigest = await client.getManifest('ours/app', digest);
    expect(byDigest.digest).toBe(digest);
  });

  it('reads an image pushed by skopeo with the same digests', async () => {
    const pushed = await pushRandomImage(reg, 'theirs/app:v1', {
      layers: 2,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
      user: mode === 'none' ? null : undefined,
    });
    const index = await client.getManifest('theirs/app', 'v1');
    expect(index.digest).toBe(pushed.digest);
    expect(index.mediaType).toBe(MediaType.OciIndex);
    expect(isIndex(index.manifest)).toBe(true);
    const first = pushed.images[0]!;
    const image = await client.getManifest('theirs/app', first.manifestDigest);
    expect(image.digest).toBe(first.manifestDigest);
    const layer = first.layers[0]!;
    const bytes = await readAll(await client.getBlob('theirs/app', layer.digest as Digest, { expectedSize: layer.size }));
    expect(computeDigest(bytes)).toBe(layer.digest);
  });

  it('mounts a blob from another repository without sending it', async () => {
    const b = blob(50_000);
    await client.uploadBlob('mount/src', b, b.bytes);
    const before = reg.logs().length;
    const result = await client.uploadBlob('mount/dst', b, b.bytes, { mountFrom: ['mount/src'] });
    expect(result).toEqual({ mounted: true });
    expect(await client.headBlob('mount/dst', b.digest)).toEqual({ size: b.size });
    const log = reg.logs().slice(before);
    expect(log).toMatch(/"POST \/v2\/mount\/dst\/blobs\/uploads\/\?mount=sha256[^"]*" 201/);
    expect(log).not.toMatch(/"(PUT|PATCH) \/v2\/mount\/dst\/blobs\/uploads\//);
  });

  it('falls back to uploading when the mount source lacks the blob', async () => {
    const b = blob(10_000);
    const result = await client.uploadBlob('mount/dst2', b, b.bytes, { mountFrom: ['mount/nothing-here'] });
    expect(result).toEqual({ mounted: false });
    expect(await client.headBlob('mount/dst2', b.digest)).toEqual({ size: b.size });
  });

  it('lists 5 tags, paginates the catalog two at a time, and lists no tags after deleting the manifest', async () => {
    const { bytes, digest } = await pushImage(client, 'paged/app', 't1');
    for (const t of ['t2', 't3', 't4', 't5']) await client.putManifest('paged/app', t, bytes, MediaType.OciManifest);
    // distribution 2.8 ignores `n` on tags/list (pagination there arrived in 3.0), so this is one page.
    const all: string[] = [];
    for await (const t of client.tags('paged/app', { pageSize: 2 })) all.push(t);
    expect(all.sort()).toEqual(['t1', 't2', 't3', 't4', 't5']);

    for (const r of ['cat/a', 'cat/b', 'cat/c', 'cat/d']) await pushImage(client, r, 'v1');
    const first = await client.catalogPage({ pageSize: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/_catalog\?/);
    const second = await client.catalogPage({ cursor: first.next! });
    expect(second.items).toHaveLength(2);
    expect(second.items[0]! > first.items[1]!).toBe(true);
    const repos: string[] = [];
    for await (const r of client.catalog({ pageSize: 2 })) repos.push(r);
    expect(repos).toEqual([...repos].sort());
    expect(repos).toEqual(expect.arrayContaining(['cat/a', 'cat/b', 'cat/c', 'cat/d', 'paged/app']));

    await client.deleteManifest('paged/app', digest);
    const after: string[] = [];
    for await (const t of client.tags('paged/app')) after.push(t);
    expect(after).toEqual([]);
    expect(await client.headManifest('paged/app', 't1')).toBeUndefined();
  });

  it('reports a missing manifest as a one-line RegistryError with the spec code', async () => {
    const err = await client.getManifest('ours/app', 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).hasCode('MANIFEST_UNKNOWN')).toBe(true);
    expect((err as RegistryError).message).toMatch(new RegExp(`^manifest ${reg.host.replace(/\./g, '\\.')}/ours/app:nope not found`));
    expect((err as RegistryError).message).not.toContain('\n');
    expect(await client.headBlob('ours/app', computeDigest('absent'))).toBeUndefined();
  });

  it('reports deleting a tag on a registry without tag deletion with the alternative', async () => {
    await pushImage(client, 'deltag/app', 'v1');
    const err = await client.deleteTag('deltag/app', 'v1').catch((e: unknown) => e);
    if (err === undefined) {
      expect(await client.headManifest('deltag/app', 'v1')).toBeUndefined();
    } else {
      expect(err).toBeInstanceOf(RegistryError);
      expect((err as Error).message).toMatch(/delete the manifest by digest/);
    }
  });

  it('finds referrers through the fallback tag schema', async () => {
    const subject = await pushImage(client, 'refs/app', 'v1');
    const sig = await pushImage(client, 'refs/app', 'sig');
    const hex = subject.digest.slice('sha256:'.length);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciIndex,
        manifests: [{ mediaType: MediaType.OciManifest, digest: sig.digest, size: sig.bytes.length, artifactType: 'application/vnd.example.sig' }],
      }),
    );
    expect(await client.referrers('refs/app', subject.digest)).toEqual([]);
    await client.putManifest('refs/app', `sha256-${hex}`, index, MediaType.OciIndex);
    const found = await client.referrers('refs/app', subject.digest);
    expect(found.map((d) => d.digest)).toEqual([sig.digest]);
    expect(await client.referrers('refs/app', subject.digest, { artifactType: 'application/vnd.example.sbom' })).toEqual([]);
  });
});

describe('a loopback registry that serves TLS', () => {
  let tlsRegistry: TestRegistry;
  beforeAll(async () => {
    tlsRegistry = await startRegistry({ tls: true });
  });

  it('is reached over plain http by default, and the 400 it answers says how to reach it', async () => {
    const client = createRegistryClient(tlsRegistry.host);
    const err = await client.getManifest('app', 'v1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toMatch(/returned 400; this port serves https: .*pass --insecure/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('is reached over https when listed insecure', async () => {
    const client = createRegistryClient(tlsRegistry.host, { insecureRegistries: [tlsRegistry.host] });
    await expect(client.ping()).resolves.toBeUndefined();
  });
});
