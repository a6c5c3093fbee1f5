import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, DigestMismatchError } from '../src/errors/index.js';
import { OciLayoutDestination, OciLayoutSource, REF_NAME_ANNOTATION } from '../src/layout/index.js';
import { MediaType } from '../src/manifest/index.js';
import {
  DOCKER_LAYER_UNCOMPRESSED,
  DockerArchiveDestination,
  DockerArchiveSource,
  compressLayer,
  indexTar,
  parseDockerArchiveReference,
} from '../src/tarball/index.js';
import { buildOciLayout } from '@nextdeploy/testkit';
import { buildImage, copyImage, sha256, tarOf, writeOciLayout, type FixtureImage } from './layout-fixtures.js';

const run = promisify(execFile);
async function skopeo(...args: string[]): Promise<string> {
  return (await run('skopeo', ['--insecure-policy', ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

let work: string;
let image: FixtureImage;
let other: FixtureImage;
let layoutDir: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tarball-'));
  image = await buildImage({ layers: 3, layerSize: 64 * 1024 });
  other = await buildImage({ layers: 1, architecture: 'arm64' });
  layoutDir = join(work, 'fixture-layout');
  await writeOciLayout(layoutDir, [{ image, tag: 'v1' }, { image: other, tag: 'other' }]);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function writeTar(name: string, entries: Parameters<typeof tarOf>[0]): Promise<string> {
  const path = join(work, name);
  await writeFile(path, await tarOf(entries));
  return path;
}

/** A docker-25-style archive (blobs/sha256) whose layers are the given members. */
async function archiveWithLayers(name: string, layers: { name: string; data: Buffer }[], config: Buffer): Promise<string> {
  const configName = `blobs/sha256/${sha256(config).slice(7)}`;
  const manifest = [{ Config: configName, RepoTags: ['app:v1'], Layers: layers.map((l) => l.name) }];
  return writeTar(name, [{ name: configName, data: config }, ...layers, { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }]);
}

describe('parseDockerArchiveReference', () => {
  it('splits FILE[:REF] like skopeo and normalises the tag', () => {
    expect(parseDockerArchiveReference('docker-archive:/tmp/a.tar:alpine')).toEqual({ file: '/tmp/a.tar', ref: { tag: 'alpine:latest' } });
    expect(parseDockerArchiveReference('a.tar:docker.io/library/alpine:3')).toEqual({ file: 'a.tar', ref: { tag: 'alpine:3' } });
    expect(parseDockerArchiveReference('a.tar:@1')).toEqual({ file: 'a.tar', ref: { index: 1 } });
    expect(parseDockerArchiveReference('a.tar')).toEqual({ file: 'a.tar' });
    expect(() => parseDockerArchiveReference('a.tar:x@sha256:' + 'a'.repeat(64))).toThrow(/tags, not digests/);
  });
});

describe('DockerArchiveDestination', () => {
  it('writes an archive skopeo reads, decompressing gzip layers to their diff_ids', async () => {
    const file = join(work, 'ours.tar');
    await copyImage(new OciLayoutSource(layoutDir, { tag: 'v1' }), new DockerArchiveDestination(file, { tag: 'example.com/app:v1' }));
    const inspected = JSON.parse(await skopeo('inspect', `docker-archive:${file}`)) as { Layers: string[]; Architecture: string; RepoTags: string[] };
    expect(inspected.Layers).toEqual(image.layers.map((l) => l.diffId));
    expect(inspected.Architecture).toBe('amd64');

    const out = join(work, 'ours-to-oci');
    await skopeo('copy', `docker-archive:${file}:example.com/app:v1`, `oci:${out}:v1`);
    const config = JSON.parse(await skopeo('inspect', '--config', `oci:${out}:v1`)) as { rootfs: { diff_ids: string[] } };
    expect(config.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));

    const members = [...(await indexTar(file)).entries.keys()].sort();
    expect(members).toEqual(
      [`${image.configDescriptor.digest.slice(7)}.json`, ...image.layers.map((l) => `${l.diffId.slice(7)}/layer.tar`), 'manifest.json', 'repositories'].sort(),
    );
    expect(work && (await readdir(work)).some((f) => f.includes('.spool-') || f.includes('.tmp-'))).toBe(false);
  });

  it('refuses an image index and a layer whose content is not its config diff_id', async () => {
    const multi = await buildOciLayout(join(work, 'multi-layout'), { platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] });
    const indexBytes = await readFile(join(multi.dir, 'blobs', 'sha256', multi.digest.slice(7)));
    const dest = new DockerArchiveDestination(join(work, 'index.tar'), { tag: 'x:y' });
    await expect(dest.putManifest({ digest: multi.digest as never, mediaType: MediaType.OciIndex, bytes: indexBytes }, { root: true })).rejects.toThrow(
      /cannot store an image index.*--platform/,
    );
    await dest.abort();

    // a config whose diff_ids belong to another image: every blob verifies, the manifest does not
    const lying = JSON.parse(image.config.toString()) as { rootfs: { diff_ids: string[] } };
    lying.rootfs.diff_ids[1] = other.layers[0]!.diffId;
    const config = Buffer.from(JSON.stringify(lying));
    const configDescriptor = { ...image.configDescriptor, digest: sha256(config), size: config.length };
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, config: configDescriptor, layers: image.layers.map((l) => l.descriptor) }));
    const file = join(work, 'lying.tar');
    const bad = new DockerArchiveDestination(file, { tag: 'x:y' });
    await bad.putBlob(configDescriptor, () => Readable.from([config]));
    for (const l of image.layers) await bad.putBlob(l.descriptor, () => Readable.from([l.gz]));
    const err = await bad.putManifest({ digest: sha256(manifest), mediaType: MediaType.OciManifest, bytes: manifest }, { root: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as Error).message).toContain(image.layers[1]!.diffId);
    await bad.abort();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('abort leaves no file, no spool and an existing archive untouched', async () => {
    const file = join(work, 'existing.tar');
    await writeFile(file, 'previous content');
    const before = (await readdir(work)).sort();
    const dest = new DockerArchiveDestination(file, { tag: 'app:v1' });
    const layer = image.layers[0]!;
    await dest.putBlob(layer.descriptor, () => Readable.from([layer.gz]));
    await expect(dest.putBlob(image.layers[1]!.descriptor, () => Readable.from([layer.gz]))).rejects.toBeInstanceOf(DigestMismatchError);
    await dest.abort();
    expect((await readdir(work)).sort()).toEqual(before);
    expect(await readFile(file, 'utf8')).toBe('previous content');
  });
});

describe('DockerArchiveSource', () => {
  it('reads an archive skopeo wrote and round-trips it through our OCI layout into a skopeo-readable archive', async () => {
    const file = join(work, 'skopeo.tar');
    await skopeo('copy', `oci:${layoutDir}:v1`, `docker-archive:${file}:example.com/app:v2`);
    const source = new DockerArchiveSource(file, { ref: { tag: 'example.com/app:v2' } });
    const top = await source.resolve();
    const manifest = JSON.parse(top.bytes.toString()) as { mediaType: string; layers: { digest: string; mediaType: string }[] };
    expect(manifest.mediaType).toBe(MediaType.DockerManifest);
    expect(manifest.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.diffId));
    expect(new Set(manifest.layers.map((l) => l.mediaType))).toEqual(new Set([DOCKER_LAYER_UNCOMPRESSED]));

    const out = join(work, 'skopeo-archive-to-oci');
    await copyImage(source, new OciLayoutDestination(out), 'v2');
    // skopeo 1.9 lists only OCI media types from index.json, so this Docker-typed layout is checked
    // by reading it back ourselves and handing it to skopeo as a docker archive again.
    const again = join(work, 'skopeo-again.tar');
    await copyImage(new OciLayoutSource(out, { tag: 'v2' }), new DockerArchiveDestination(again, { tag: 'again:v2' }));
    const inspected = JSON.parse(await skopeo('inspect', `docker-archive:${again}`)) as { Layers: string[]; RepoTags: string[] };
    expect(inspected.Layers).toEqual(image.layers.map((l) => l.diffId));
    const raw = await skopeo('inspect', '--raw', `docker-archive:${again}`);
    expect(JSON.parse(raw).config.digest).toBe(JSON.parse(top.bytes.toString()).config.digest);
  });

  it('selects among several images by tag or @N and lists them when no ref is given', async () => {
    const file = join(work, 'two.tar');
    const dest = new DockerArchiveDestination(file);
    for (const [img, tag] of [[image, 'one:1'], [other, 'two:2']] as const) {
      await dest.putBlob(img.configDescriptor, () => Readable.from([img.config]));
      for (const l of img.layers) await dest.putBlob(l.descriptor, () => Readable.from([l.gz]));
      await dest.putManifest({ digest: img.descriptor.digest, mediaType: img.descriptor.mediaType, bytes: img.manifest }, { root: true, tag });
    }
    await dest.commit();
    await expect(new DockerArchiveSource(file).resolve()).rejects.toThrow(/holds 2 images.*available: one:1; two:2/);
    const second = JSON.parse((await new DockerArchiveSource(file, { ref: { index: 1 } }).resolve()).bytes.toString()) as { layers: { digest: string }[] };
    expect(second.layers.map((l) => l.digest)).toEqual(other.layers.map((l) => l.diffId));
    const byTag = await new DockerArchiveSource(file, { ref: { tag: 'docker.io/library/one:1' } }).resolve();
    expect(JSON.parse(byTag.bytes.toString()).layers).toHaveLength(3);
    await expect(new DockerArchiveSource(file, { ref: { tag: 'three:3' } }).resolve()).rejects.toThrow(/no image tagged three:3/);
    // skopeo reads the second image of our multi-image archive too
    expect(JSON.parse(await skopeo('inspect', `docker-archive:${file}:two:2`)).Architecture).toBe('arm64');
  });

  it('reads the docker 25 blobs/ layout with compressed layers and legacy symlinked layer dirs', async () => {
    const [gzLayer, tarLayer] = image.layers as [FixtureImage['layers'][0], FixtureImage['layers'][0]];
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [gzLayer.diffId, tarLayer.diffId, gzLayer.diffId] } }));
    const gzName = `blobs/sha256/${gzLayer.descriptor.digest.slice(7)}`;
    // the third layer repeats the first through a symlink, as docker save does for repeated layers
    const configName = `blobs/sha256/${sha256(config).slice(7)}`;
    const manifest = [{ Config: configName, RepoTags: ['app:v1'], Layers: [gzName, 'legacy/layer.tar', 'again/layer.tar'] }];
    const file = await writeTar('docker25.tar', [
      { name: configName, data: config },
      { name: gzName, data: gzLayer.gz },
      { name: 'legacy/layer.tar', data: tarLayer.tar },
      { name: 'again/layer.tar', type: 'symlink', linkname: `../${gzName}` },
      { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
    ]);
    const source = new DockerArchiveSource(file);
    const top = JSON.parse((await source.resolve()).bytes.toString()) as { layers: { digest: string; mediaType: string; size: number }[] };
    expect(top.layers.map((l) => [l.mediaType, l.digest])).toEqual([
      [MediaType.DockerLayerGzip, gzLayer.descriptor.digest],
      [DOCKER_LAYER_UNCOMPRESSED, tarLayer.diffId],
      [MediaType.DockerLayerGzip, gzLayer.descriptor.digest],
    ]);
    const blob = await buffer(await source.getBlob(top.layers[1] as never));
    expect(blob.equals(tarLayer.tar)).toBe(true);
    // our archive writer turns it into an all-uncompressed archive docker load understands
    const out = join(work, 'docker25-rewritten.tar');
    await copyImage(source, new DockerArchiveDestination(out, { tag: 'app:v1' }));
    expect(JSON.parse(await skopeo('inspect', `docker-archive:${out}`)).Layers).toEqual([gzLayer.diffId, tarLayer.diffId, gzLayer.diffId]);
  });

  it('indexes members behind pax long-name headers at their exact data offsets', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(120)}.tar`;
    const data = Buffer.from('payload after a pax header');
    const file = await writeTar('long-names.tar', [{ name: 'short', data: Buffer.from('x') }, { name: long, data }]);
    const entry = (await indexTar(file)).entries.get(long)!;
    expect(entry.length).toBe(data.length);
    expect((await readFile(file)).subarray(entry.start, entry.start + entry.length).equals(data)).toBe(true);
  });

  it('rejects archives with traversal, absolute or escaping link entries, naming the entry', async () => {
    const cases: [string, Parameters<typeof tarOf>[0], RegExp][] = [
      ['dotdot.tar', [{ name: '../evil', data: Buffer.from('x') }], /refusing entry "\.\.\/evil": path escapes/],
      ['nested-dotdot.tar', [{ name: 'a/../../evil', data: Buffer.from('x') }], /refusing entry "a\/\.\.\/\.\.\/evil"/],
      ['absolute.tar', [{ name: '/etc/evil', data: Buffer.from('x') }], /refusing entry "\/etc\/evil": absolute path/],
      ['symlink.tar', [{ name: 'layer/layer.tar', type: 'symlink', linkname: '../../../etc/passwd' }], /refusing symlink entry "layer\/layer.tar": target "\.\.\/\.\.\/\.\.\/etc\/passwd" escapes/],
      ['symlink-abs.tar', [{ name: 'layer.tar', type: 'symlink', linkname: '/etc/passwd' }], /refusing symlink entry "layer.tar": absolute target/],
      ['hardlink.tar', [{ name: 'layer.tar', type: 'link', linkname: '../outside' }], /refusing link entry "layer.tar"/],
    ];
    for (const [name, entries, message] of cases) {
      const file = await writeTar(name, [...entries, { name: 'manifest.json', data: Buffer.from('[]') }]);
      const err = await new DockerArchiveSource(file).resolve().catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(ArchiveError);
      expect((err as Error).message, name).toMatch(message);
    }
    const notTar = join(work, 'garbage.tar');
    await writeFile(notTar, Buffer.alloc(1024, 7));
    await expect(new DockerArchiveSource(notTar).resolve()).rejects.toThrow(/not a readable tar archive/);
  });

  it('fails the layer stream when the archive content does not match the config diff_id', async () => {
    const layer = image.layers[0]!;
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [other.layers[0]!.diffId] } }));
    const file = await archiveWithLayers('wrong-diffid.tar', [{ name: 'x/layer.tar', data: layer.tar }], config);
    const source = new DockerArchiveSource(file);
    const top = JSON.parse((await source.resolve()).bytes.toString()) as { layers: never[] };
    await expect(buffer(await source.getBlob(top.layers[0]!))).rejects.toBeInstanceOf(DigestMismatchError);
  });
});

describe('compressLayer', () => {
  it('gzips an archive layer once, reports the compressed digest and keeps the diff_id', async () => {
    const file = join(work, 'for-compress.tar');
    await skopeo('copy', `oci:${layoutDir}:v1`, `docker-archive:${file}:app:v1`);
    const source = new DockerArchiveSource(file);
    const top = JSON.parse((await source.resolve()).bytes.toString()) as { layers: { mediaType: string; digest: `sha256:${string}`; size: number }[] };
    const uncompressed = top.layers[0]!;
    const compressed = await compressLayer(await source.getBlob(uncompressed), { uncompressed, tempDir: work });
    try {
      expect(compressed.diffId).toBe(image.layers[0]!.diffId);
      expect(compressed.descriptor.mediaType).toBe(MediaType.DockerLayerGzip);
      const gz = await buffer(compressed.open());
      expect(sha256(gz)).toBe(compressed.descriptor.digest);
      expect(gz.length).toBe(compressed.descriptor.size);
      expect(gunzipSync(gz).equals(image.layers[0]!.tar)).toBe(true);
      // open() can be called again for a retried upload
      expect(sha256(await buffer(compressed.open()))).toBe(compressed.descriptor.digest);
    } finally {
      await compressed.dispose();
    }
    const wrong = { ...uncompressed, digest: other.layers[0]!.diffId };
    await expect(compressLayer(await source.getBlob(uncompressed), { uncompressed: wrong, tempDir: work })).rejects.toBeInstanceOf(DigestMismatchError);
    expect((await readdir(work)).some((f) => f.startsWith('nextdeploy-gzip-'))).toBe(false);
  });
});

describe('full interop chain', () => {
  it('oci (ours) -> docker-archive (skopeo) -> oci (ours) keeps the original layer contents', async () => {
    const ours = join(work, 'chain-oci');
    await copyImage(new OciLayoutSource(layoutDir, { tag: 'other' }), new OciLayoutDestination(ours, { tag: 'c' }));
    const archive = join(work, 'chain.tar');
    await skopeo('copy', `oci:${ours}:c`, `docker-archive:${archive}:chain:c`);
    const back = join(work, 'chain-back');
    await copyImage(new DockerArchiveSource(archive, { ref: { tag: 'chain:c' } }), new OciLayoutDestination(back, { tag: 'c' }));
    const index = JSON.parse(await readFile(join(back, 'index.json'), 'utf8')) as { manifests: { annotations: Record<string, string> }[] };
    expect(index.manifests[0]!.annotations[REF_NAME_ANNOTATION]).toBe('c');
    const layer = await readFile(join(back, 'blobs', 'sha256', other.layers[0]!.diffId.slice(7)));
    expect(layer.equals(other.layers[0]!.tar)).toBe(true);
  });
});
