/**
 * Interop both ways against the real registry and skopeo 1.9: what we write, skopeo reads with the
 * same digests; what skopeo writes, we read and copy on with the same digests.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRandomImage, skopeoCreds, skopeoOk, startRegistry, stopAll, type PushedImage, type TestRegistry } from '@nextdeploy/testkit';
import { MediaType, computeDigest, type ImageIndex, type ImageManifest } from '../src/index.js';
import { runCopy, tempDir } from './copy-fixtures.js';

afterAll(stopAll);

let a: TestRegistry;
let b: TestRegistry;
let single: PushedImage;
let multi: PushedImage;
const PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
];

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  [single, multi] = await Promise.all([
    pushRandomImage(a, 'src/single:v1', { layers: 3, layerSize: 64 * 1024 }),
    pushRandomImage(a, 'src/multi:v1', { layers: 2, layerSize: 16 * 1024, platforms: PLATFORMS }),
  ]);
}, 60_000);

/** The exact manifest bytes skopeo reads at `ref`, and their digest. */
async function skopeoRaw(ref: string, reg?: TestRegistry): Promise<{ bytes: Buffer; digest: string; json: ImageManifest & ImageIndex }> {
  const { stdout } = await skopeoOk(['inspect', '--raw', ...(reg ? skopeoCreds(reg) : []), ref]);
  const bytes = Buffer.from(stdout);
  return { bytes, digest: computeDigest(bytes), json: JSON.parse(stdout) as ImageManifest & ImageIndex };
}

describe('ours writes, skopeo reads', () => {
  it('registry -> registry keeps the digest skopeo sees', async () => {
    const { summary } = await runCopy(`docker://${single.reference}`, `${b.host}/ours/single:v1`);
    expect(summary.digest).toBe(single.digest);
    expect((await skopeoRaw(`docker://${b.host}/ours/single:v1`, b)).digest).toBe(single.digest);
  });

  it('registry -> OCI layout: skopeo copies the layout on with --preserve-digests', async () => {
    const out = await tempDir('oci');
    try {
      await runCopy(single.reference, `oci:${out.dir}:v1`);
      expect((await skopeoRaw(`oci:${out.dir}:v1`)).digest).toBe(single.digest);
      await skopeoOk(['copy', '--quiet', '--preserve-digests', ...skopeoCreds(b, 'dest'), `oci:${out.dir}:v1`, `docker://${b.host}/via-skopeo/single:v1`]);
      expect((await skopeoRaw(`docker://${b.host}/via-skopeo/single:v1`, b)).digest).toBe(single.digest);
    } finally {
      await out.remove();
    }
  });

  it('registry -> docker-archive: skopeo copy docker-archive:OURS.tar oci:… succeeds with our config', async () => {
    const out = await tempDir('tar');
    try {
      const tar = join(out.dir, 'ours.tar');
      await runCopy(single.reference, `docker-archive:${tar}:acme/single:v1`);
      const seen = await skopeoRaw(`docker-archive:${tar}`);
      expect(seen.json.config.digest).toBe(single.images[0]!.configDigest);
      await skopeoOk(['copy', '--quiet', `docker-archive:${tar}`, `oci:${join(out.dir, 'layout')}:x`]);
      const index = JSON.parse(await readFile(join(out.dir, 'layout', 'index.json'), 'utf8')) as ImageIndex;
      expect(index.manifests).toHaveLength(1);
    } finally {
      await out.remove();
    }
  });
});

describe('skopeo writes, ours reads', () => {
  it('an OCI layout skopeo wrote is copied on with identical digests', async () => {
    const out = await tempDir('oci');
    try {
      await skopeoOk(['copy', '--quiet', '--preserve-digests', ...skopeoCreds(a, 'src'), `docker://${single.reference}`, `oci:${out.dir}:s`]);
      const { summary } = await runCopy(`oci:${out.dir}:s`, `${b.host}/from-skopeo-oci/single:v1`);
      expect(summary.digest).toBe(single.digest);
      expect(summary.sourceDigest).toBe(single.digest);
    } finally {
      await out.remove();
    }
  });

  it('a docker archive skopeo wrote is read, pushed with gzip layers, and keeps config and diff_ids', async () => {
    const out = await tempDir('tar');
    try {
      const tar = join(out.dir, 'skopeo.tar');
      await skopeoOk(['copy', '--quiet', ...skopeoCreds(a, 'src'), `docker://${single.reference}`, `docker-archive:${tar}:acme/single:v1`]);
      const { summary } = await runCopy(`docker-archive:${tar}`, `${b.host}/from-skopeo-tar/single:v1`);
      expect(summary.rewritten).toBe('compressed-layers');
      const pushed = await skopeoRaw(`docker://${b.host}/from-skopeo-tar/single:v1`, b);
      expect(pushed.digest).toBe(summary.digest);
      expect(pushed.json.mediaType).toBe(MediaType.DockerManifest);
      expect(pushed.json.layers.every((l) => l.mediaType === MediaType.DockerLayerGzip)).toBe(true);
      expect(pushed.json.config.digest).toBe(single.images[0]!.configDigest);
      // skopeo can pull what we pushed, which means every gzip layer matched its diff_id.
      await skopeoOk(['copy', '--quiet', ...skopeoCreds(b, 'src'), `docker://${b.host}/from-skopeo-tar/single:v1`, `oci:${join(out.dir, 'back')}:x`]);
    } finally {
      await out.remove();
    }
  });
});

describe('multi-platform index', () => {
  it('is copied whole by default, byte for byte', async () => {
    const { summary } = await runCopy(multi.reference, `${b.host}/multi/whole:v1`);
    expect(summary.digest).toBe(multi.digest);
    expect(summary.platforms).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    const seen = await skopeoRaw(`docker://${b.host}/multi/whole:v1`, b);
    expect(seen.digest).toBe(multi.digest);
    await skopeoOk(['inspect', ...skopeoCreds(b), '--override-arch', 'arm', '--override-variant', 'v7', `docker://${b.host}/multi/whole:v1`]);
  });

  it('with one --platform becomes that plain manifest', async () => {
    const { summary } = await runCopy(multi.reference, `${b.host}/multi/arm64:v1`, { platforms: ['linux/arm64'] });
    const arm64 = multi.images.find((i) => i.platform.architecture === 'arm64')!;
    expect(summary).toMatchObject({ digest: arm64.manifestDigest, rewritten: 'platform', sourceDigest: multi.digest });
    expect((await skopeoRaw(`docker://${b.host}/multi/arm64:v1`, b)).digest).toBe(arm64.manifestDigest);
  });

  it('with two of three platforms becomes a new index of those two', async () => {
    const { summary } = await runCopy(multi.reference, `${b.host}/multi/two:v1`, { platforms: ['linux/arm/v7', 'linux/amd64'] });
    expect(summary.rewritten).toBe('platform-subset');
    expect(summary.digest).not.toBe(multi.digest);
    expect(summary.notes.join(' ')).toMatch(/new index/);
    const seen = await skopeoRaw(`docker://${b.host}/multi/two:v1`, b);
    expect(seen.digest).toBe(summary.digest);
    const wanted = multi.images.filter((i) => i.platform.architecture !== 'arm64').map((i) => i.manifestDigest);
    expect(seen.json.manifests.map((m) => m.digest)).toEqual(wanted);
    const out = await tempDir('oci');
    try {
      await skopeoOk(['copy', '--quiet', '--all', ...skopeoCreds(b, 'src'), `docker://${b.host}/multi/two:v1`, `oci:${out.dir}:x`]);
    } finally {
      await out.remove();
    }
  });

  it('refuses to squeeze an index into a docker archive without --platform, naming the choices', async () => {
    const out = await tempDir('tar');
    try {
      await expect(runCopy(multi.reference, `docker-archive:${join(out.dir, 'm.tar')}`)).rejects.toThrow(
        /multi-platform index .* holds one platform only; choose one with --platform \(available: linux\/amd64, linux\/arm64\/v8, linux\/arm\/v7\)/,
      );
      await expect(runCopy(multi.reference, `${b.host}/multi/none:v1`, { platforms: ['linux/s390x'] })).rejects.toThrow(/no manifest for platform linux\/s390x; available/);
    } finally {
      await out.remove();
    }
  });
});
