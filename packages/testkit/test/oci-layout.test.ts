import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildOciLayout,
  makeTempDir,
  mediaTypes,
  pushWithSkopeo,
  removeDir,
  skopeo,
  skopeoCreds,
  startRegistry,
  stopAll,
} from '../src/index.js';

const dirs: string[] = [];
afterAll(async () => {
  await stopAll();
  await Promise.all(dirs.map(removeDir));
});

async function tempLayout(): Promise<string> {
  const dir = await makeTempDir('test-layout');
  dirs.push(dir);
  return dir;
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const blob = (dir: string, digest: string): Promise<Buffer> => readFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));

describe('buildOciLayout', () => {
  it('writes a valid single-platform layout: digests, sizes, diff_ids and ref name all check out', async () => {
    const dir = await tempLayout();
    const build = await buildOciLayout(dir, { layers: 3, layerSize: 5000, tag: 'v1' });
    expect(JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    expect(index.manifests).toEqual([
      { mediaType: mediaTypes.OCI_MANIFEST, digest: build.digest, size: build.size, annotations: { [mediaTypes.REF_NAME_ANNOTATION]: 'v1' } },
    ]);
    const manifestBytes = await blob(dir, build.digest);
    expect(sha256(manifestBytes)).toBe(build.digest);
    const manifest = JSON.parse(manifestBytes.toString());
    const config = JSON.parse((await blob(dir, manifest.config.digest)).toString());
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers' } });
    expect(manifest.layers).toHaveLength(3);
    for (const [i, layer] of (manifest.layers as Array<{ digest: string; size: number; mediaType: string }>).entries()) {
      const stored = await blob(dir, layer.digest);
      expect(layer.mediaType).toBe(mediaTypes.OCI_LAYER_GZIP);
      expect(stored.length).toBe(layer.size);
      expect(sha256(stored)).toBe(layer.digest);
      const tar = gunzipSync(stored);
      expect(sha256(tar)).toBe(config.rootfs.diff_ids[i]);
      expect(tar.subarray(0, 100).toString().replace(/\0+$/, '')).toBe(`nextdeploy-fixture-layer-${i}.bin`);
      expect(tar.subarray(257, 262).toString()).toBe('ustar');
      expect(tar.length % 512).toBe(0);
    }
  });

  it('is deterministic with a seed and unique without one', async () => {
    const [a, b, c] = await Promise.all([tempLayout(), tempLayout(), tempLayout()]);
    const first = await buildOciLayout(a, { seed: 'fixed', layerSize: 3000, compress: 'none' });
    const again = await buildOciLayout(b, { seed: 'fixed', layerSize: 3000, compress: 'none' });
    const other = await buildOciLayout(c, { layerSize: 3000, compress: 'none' });
    expect(again.digest).toBe(first.digest);
    expect(other.digest).not.toBe(first.digest);
    expect(first.images[0]?.layers[0]?.mediaType).toBe(mediaTypes.OCI_LAYER_TAR);
    // Uncompressed: the blob is the tar itself, so digest and diff_id coincide.
    expect(first.images[0]?.layers[0]?.digest).toBe(first.images[0]?.layers[0]?.diffId);
  });

  it('builds a multi-platform index that skopeo copies with --all', async () => {
    const dir = await tempLayout();
    const platforms = [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ];
    const build = await buildOciLayout(dir, { platforms, layers: 1, layerSize: 1000, tag: 'multi' });
    expect(build.mediaType).toBe(mediaTypes.OCI_INDEX);
    expect(build.indexDigest).toBe(build.digest);
    const imageIndex = JSON.parse((await blob(dir, build.digest)).toString());
    expect(imageIndex.manifests.map((m: { platform: unknown }) => m.platform)).toEqual(platforms);

    const reg = await startRegistry({ auth: 'htpasswd' });
    await pushWithSkopeo(dir, reg, 'multi/app:1', { layoutRef: 'multi' });
    const raw = await skopeo(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/multi/app:1`]);
    expect(sha256(Buffer.from(raw.stdout))).toBe(build.digest);
    for (const image of build.images) {
      const child = await skopeo(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/multi/app@${image.manifestDigest}`]);
      expect(child.code).toBe(0);
      expect(JSON.parse(child.stdout).config.digest).toBe(image.configDigest);
    }
  });

  it('adds a second tag to an existing layout', async () => {
    const dir = await tempLayout();
    await buildOciLayout(dir, { tag: 'one' });
    const two = await buildOciLayout(dir, { tag: 'two' });
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations[mediaTypes.REF_NAME_ANNOTATION])).toEqual(['one', 'two']);
    const inspect = await skopeo(['inspect', '--raw', `oci:${dir}:two`]);
    expect(sha256(Buffer.from(inspect.stdout))).toBe(two.digest);
  });

  it('rejects nonsense sizes with a clear message', async () => {
    const dir = await tempLayout();
    await expect(buildOciLayout(dir, { layers: -1 })).rejects.toThrow(/layers must be a non-negative integer/);
  });
});
