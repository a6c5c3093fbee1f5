/**
 * Small, valid images built in memory for the layout and tarball tests: every layer is a real tar
 * with one random file, gzipped, and the config's diff_ids are the tar digests, so skopeo accepts
 * them in every direction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { REF_NAME_ANNOTATION, type ImageDestination, type ImageSource, type RawManifest } from '../src/layout/index.js';
import { MediaType, isIndex, manifestBlobs, parseManifest, type Descriptor } from '../src/manifest/index.js';
import type { Digest } from '../src/digest/index.js';

export interface FixtureLayer {
  tar: Buffer;
  gz: Buffer;
  diffId: Digest;
  descriptor: Descriptor;
}

export interface FixtureImage {
  layers: FixtureLayer[];
  config: Buffer;
  configDescriptor: Descriptor;
  manifest: Buffer;
  descriptor: Descriptor;
}

export function sha256(data: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export async function tarOf(entries: { name: string; data?: Buffer; type?: 'file' | 'symlink' | 'link' | 'directory'; linkname?: string }[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const e of entries) {
    const header = { name: e.name, type: e.type ?? 'file', mtime: new Date(0), ...(e.linkname ? { linkname: e.linkname } : {}) };
    await new Promise<void>((resolve, reject) => p.entry(header, e.data ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function buildImage(options: { layers?: number; layerSize?: number; architecture?: string; oci?: boolean } = {}): Promise<FixtureImage> {
  const oci = options.oci ?? true;
  const layers: FixtureLayer[] = [];
  for (let i = 0; i < (options.layers ?? 2); i++) {
    const tar = await tarOf([{ name: `file-${i}.bin`, data: randomBytes(options.layerSize ?? 2048) }]);
    const gz = gzipSync(tar);
    layers.push({
      tar,
      gz,
      diffId: sha256(tar),
      descriptor: { mediaType: oci ? MediaType.OciLayerGzip : MediaType.DockerLayerGzip, digest: sha256(gz), size: gz.length },
    });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: options.architecture ?? 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map(() => ({ created_by: 'fixture' })),
    }),
  );
  const configDescriptor: Descriptor = { mediaType: oci ? MediaType.OciConfig : MediaType.DockerConfig, digest: sha256(config), size: config.length };
  const mediaType = oci ? MediaType.OciManifest : MediaType.DockerManifest;
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config: configDescriptor, layers: layers.map((l) => l.descriptor) }));
  return { layers, config, configDescriptor, manifest, descriptor: { mediaType, digest: sha256(manifest), size: manifest.length } };
}

async function writeBlob(dir: string, data: Buffer): Promise<void> {
  await writeFile(join(dir, 'blobs', 'sha256', sha256(data).slice(7)), data);
}

/** Writes `images` (each optionally tagged) as an OCI layout the way skopeo would. */
export async function writeOciLayout(dir: string, images: { image: FixtureImage; tag?: string }[]): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  for (const { image } of images) {
    for (const blob of [image.config, image.manifest, ...image.layers.map((l) => l.gz)]) await writeBlob(dir, blob);
  }
  const manifests = images.map(({ image, tag }) => ({ ...image.descriptor, ...(tag ? { annotations: { [REF_NAME_ANNOTATION]: tag } } : {}) }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

/**
 * The copy loop the engine will run, reduced to what these tests need: children before parents,
 * blobs before manifests, commit at the end and abort on any failure.
 */
export async function copyImage(source: ImageSource, destination: ImageDestination, tag?: string): Promise<RawManifest> {
  try {
    const top = await source.resolve();
    const parsed = parseManifest(top.bytes, top.mediaType);
    if (isIndex(parsed.manifest)) {
      for (const child of parsed.manifest.manifests) {
        const raw = await source.getManifest(child.digest);
        await copyBlobs(source, destination, raw);
        await destination.putManifest(raw, { root: false });
      }
    } else {
      await copyBlobs(source, destination, top);
    }
    await destination.putManifest(top, { root: true, ...(tag ? { tag } : {}) });
    await destination.commit();
    return top;
  } catch (err) {
    await destination.abort();
    throw err;
  } finally {
    await source.close();
  }
}

async function copyBlobs(source: ImageSource, destination: ImageDestination, raw: RawManifest): Promise<void> {
  const blobs = manifestBlobs(parseManifest(raw.bytes, raw.mediaType).manifest);
  await Promise.all(
    blobs.map(async (d) => {
      if (await destination.hasBlob(d)) return;
      // getBlob is async and the body factory is not: open lazily so a skipped blob opens nothing.
      await destination.putBlob(d, () => {
        const out = new PassThrough();
        source.getBlob(d).then(
          (s) => pipeline(s, out).catch((err: unknown) => out.destroy(err as Error)),
          (err: unknown) => out.destroy(err as Error),
        );
        return out;
      });
    }),
  );
}
