import { computeDigest, type Digest } from '../digest/index.js';
import { ManifestError, NextdeployError } from '../errors/index.js';
import type { ImageSource, RawManifest } from '../layout/image-io.js';
import { findPlatformManifest, formatPlatform, isIndex, parseManifest, parsePlatform, type Descriptor, type ImageIndex, type ImageManifest } from '../manifest/index.js';

/** One image manifest whose blobs must reach the destination before the manifest itself. */
export interface PlannedImage {
  raw: RawManifest;
  manifest: ImageManifest;
  /** True for the manifest written last under the destination's tag. */
  root: boolean;
}

/** What a copy writes, in order: every image's blobs, the images, then (for an index) the index. */
export interface CopyPlan {
  sourceDigest: Digest;
  images: PlannedImage[];
  /** The index to write last, when the result is multi-platform. */
  index?: RawManifest;
  platforms: string[];
  rewritten?: 'platform' | 'platform-subset';
}

export interface PlanOptions {
  /** `os/arch[/variant]` strings; empty or absent copies everything the source names. */
  platforms?: readonly string[];
  /** Whether the destination can store an index (a docker archive cannot). */
  indexes: boolean;
  destination: string;
  signal?: AbortSignal;
}

/**
 * Decides what to copy from the source's top-level manifest: an index whole, one platform's
 * manifest (the result is a plain manifest), or a subset (a new index holding only those entries,
 * which necessarily has a new digest).
 */
export async function planCopy(source: ImageSource, top: RawManifest, options: PlanOptions): Promise<CopyPlan> {
  const parsed = parseManifest(top.bytes, top.mediaType).manifest;
  const wanted = [...new Set(options.platforms ?? [])];
  wanted.forEach((p) => parsePlatform(p));

  if (!isIndex(parsed)) {
    return { sourceDigest: top.digest, images: [{ raw: top, manifest: parsed, root: true }], platforms: [] };
  }
  const available = (): string => parsed.manifests.map((d) => (d.platform ? formatPlatform(d.platform) : d.digest)).join(', ');

  if (wanted.length === 0) {
    if (!options.indexes) {
      throw new NextdeployError('USAGE', `${source.describe()} is a multi-platform index and ${options.destination} holds one platform only`, {
        hint: `choose one with --platform (available: ${available()})`,
      });
    }
    const images = await fetchImages(source, parsed.manifests, options.signal);
    return { sourceDigest: top.digest, images, index: top, platforms: platformsOf(parsed.manifests) };
  }

  const chosen = wanted.map((p) => {
    const d = findPlatformManifest(parsed, p);
    if (!d) throw new NextdeployError('NOT_FOUND', `${source.describe()} has no manifest for platform ${p}`, { hint: `available: ${available()}` });
    return d;
  });
  const unique = [...new Map(chosen.map((d) => [d.digest, d])).values()];

  if (unique.length === 1) {
    const [image] = await fetchImages(source, unique, options.signal);
    return { sourceDigest: top.digest, images: [{ ...image!, root: true }], platforms: platformsOf(unique), rewritten: 'platform' };
  }
  if (!options.indexes) {
    throw new NextdeployError('USAGE', `${options.destination} holds one platform only but ${unique.length} were asked for`, { hint: 'pass a single --platform' });
  }
  if (unique.length === parsed.manifests.length) {
    // Every entry was asked for: that is the source index itself, bytes and digest unchanged.
    const images = await fetchImages(source, parsed.manifests, options.signal);
    return { sourceDigest: top.digest, images, index: top, platforms: platformsOf(parsed.manifests) };
  }
  // Keep the source's order and every other field of the index; only the entry list shrinks.
  const keep = new Set(unique.map((d) => d.digest));
  const body = JSON.parse(top.bytes.toString('utf8')) as ImageIndex;
  body.manifests = body.manifests.filter((d) => keep.has(d.digest));
  const bytes = Buffer.from(JSON.stringify(body));
  const index: RawManifest = { digest: computeDigest(bytes), mediaType: top.mediaType, bytes };
  const images = await fetchImages(source, body.manifests, options.signal);
  return { sourceDigest: top.digest, images, index, platforms: platformsOf(body.manifests), rewritten: 'platform-subset' };
}

async function fetchImages(source: ImageSource, descriptors: Descriptor[], signal?: AbortSignal): Promise<PlannedImage[]> {
  return Promise.all(
    descriptors.map(async (d) => {
      const raw = await source.getManifest(d.digest, signal);
      const manifest = parseManifest(raw.bytes, raw.mediaType).manifest;
      if (isIndex(manifest)) throw new ManifestError(`${source.describe()}: index entry ${d.digest} is itself an index; nested indexes are not supported`);
      return { raw, manifest, root: false };
    }),
  );
}

function platformsOf(descriptors: Descriptor[]): string[] {
  return descriptors.flatMap((d) => (d.platform ? [formatPlatform(d.platform)] : []));
}
