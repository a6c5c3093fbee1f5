/**
 * Write REAL OCI image layouts with node alone (no docker): random tar layers, a valid config
 * with rootfs.diff_ids, manifests, an optional multi-platform index, and index.json with the
 * ref-name annotation skopeo's `oci:DIR:TAG` looks up.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeLayerBlob, type LayerDescriptor } from './layer-blob.js';
import { OCI_CONFIG, OCI_INDEX, OCI_MANIFEST, REF_NAME_ANNOTATION } from './media-types.js';
import type { BuildOciLayoutOptions, BuiltImage, OciLayoutBuild, Platform } from './types.js';

const FIXED_CREATED = '2024-01-01T00:00:00Z';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

async function writeJsonBlob(blobsDir: string, value: unknown, mediaType: string): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(value));
  const hex = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(blobsDir, hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

async function buildImage(
  blobsDir: string,
  platform: Platform,
  seed: string,
  opts: Required<Pick<BuildOciLayoutOptions, 'layers' | 'layerSize' | 'compress'>>,
): Promise<BuiltImage> {
  const layers: LayerDescriptor[] = [];
  // Sequential: two cores are shared by everyone, and gzip is the bottleneck anyway.
  for (let i = 0; i < opts.layers; i++) {
    layers.push(
      await writeLayerBlob({
        blobsDir,
        fileName: `nextdeploy-fixture-layer-${i}.bin`,
        contentBytes: opts.layerSize,
        compress: opts.compress,
        seed: `${seed}/layer-${i}`,
      }),
    );
  }
  const config = {
    created: FIXED_CREATED,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Labels: { 'org.nextdeploy.testkit.seed': seed } },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: FIXED_CREATED, created_by: `nextdeploy-testkit fixture layer ${i}` })),
  };
  const configDesc = await writeJsonBlob(blobsDir, config, OCI_CONFIG);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: configDesc,
    layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
  };
  const manifestDesc = await writeJsonBlob(blobsDir, manifest, OCI_MANIFEST);
  return {
    platform,
    manifestDigest: manifestDesc.digest,
    manifestSize: manifestDesc.size,
    configDigest: configDesc.digest,
    configSize: configDesc.size,
    layers,
  };
}

/** Add `descriptor` under `tag` to index.json, replacing an older entry with the same tag. */
async function addToIndexJson(dir: string, descriptor: Descriptor): Promise<void> {
  const indexPath = join(dir, 'index.json');
  const index = existsSync(indexPath)
    ? (JSON.parse(await readFile(indexPath, 'utf8')) as { manifests: Descriptor[] })
    : { manifests: [] as Descriptor[] };
  const tag = descriptor.annotations?.[REF_NAME_ANNOTATION];
  index.manifests = index.manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] !== tag);
  index.manifests.push(descriptor);
  await writeFile(indexPath, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: index.manifests }));
}

/**
 * Build an image (or multi-platform index) into the OCI layout at `dir` (created if needed;
 * an existing layout gains the new tag).
 */
export async function buildOciLayout(dir: string, options: BuildOciLayoutOptions = {}): Promise<OciLayoutBuild> {
  const tag = options.tag ?? 'latest';
  const opts = { layers: options.layers ?? 1, layerSize: options.layerSize ?? 1024, compress: options.compress ?? 'gzip' } as const;
  if (!Number.isInteger(opts.layers) || opts.layers < 0) throw new Error(`buildOciLayout: layers must be a non-negative integer, got ${opts.layers}`);
  if (!Number.isInteger(opts.layerSize) || opts.layerSize < 0) throw new Error(`buildOciLayout: layerSize must be a non-negative integer, got ${opts.layerSize}`);
  const blobsDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobsDir, { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const baseSeed = options.seed ?? randomUUID();
  const platforms = options.platforms ?? [{ os: 'linux', architecture: 'amd64' }];
  const images: BuiltImage[] = [];
  for (const p of platforms) {
    images.push(await buildImage(blobsDir, p, `${baseSeed}/${p.os}/${p.architecture}/${p.variant ?? ''}`, opts));
  }
  const annotations = { [REF_NAME_ANNOTATION]: tag };
  if (options.platforms) {
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: images.map((img) => ({
        mediaType: OCI_MANIFEST,
        digest: img.manifestDigest,
        size: img.manifestSize,
        platform: img.platform,
      })),
    };
    const indexDesc = await writeJsonBlob(blobsDir, index, OCI_INDEX);
    await addToIndexJson(dir, { ...indexDesc, annotations });
    return { dir, tag, digest: indexDesc.digest, mediaType: OCI_INDEX, size: indexDesc.size, indexDigest: indexDesc.digest, images };
  }
  const only = images[0];
  if (!only) throw new Error('buildOciLayout: no image was built');
  await addToIndexJson(dir, { mediaType: OCI_MANIFEST, digest: only.manifestDigest, size: only.manifestSize, annotations });
  return { dir, tag, digest: only.manifestDigest, mediaType: OCI_MANIFEST, size: only.manifestSize, manifestDigest: only.manifestDigest, images };
}
