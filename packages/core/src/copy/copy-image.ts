import { setMaxListeners } from 'node:events';
import { computeDigest, type Digest } from '../digest/index.js';
import type { ImageDestination, ImageSource, RawManifest } from '../layout/image-io.js';
import { OciLayoutDestination } from '../layout/oci-layout-destination.js';
import { MediaType, type Descriptor, type ImageIndex, type ImageManifest } from '../manifest/index.js';
import { abortReason } from '../transport/retry.js';
import { blobRef, needsCompression, transferBlob, type BlobOutcome, type BlobTransferContext } from './blob-transfer.js';
import type { CopyEvent, CopySummary } from './events.js';
import { Limiter, runLimited } from './limiter.js';
import { planCopy, type CopyPlan, type PlannedImage } from './plan.js';
import { RegistryDestination, RegistrySource } from './registry-endpoint.js';
import { StreamGate } from './stream-gate.js';

/**
 * Blobs moved at once. Measured with the CLI, registry -> registry on loopback, 8 x 32 MiB gzip
 * layers, distribution 2.8.2, 2 cores shared with other work (load ~7, so noisy), 3 rounds each,
 * median ms: jobs 2: 5314, 4: 4915, 6: 4918, 8: 4389, 12: 4832. On loopback the destination's
 * hashing and fsync dominate and more jobs barely matter; on a WAN link with a per-connection
 * cap (the 20 ms / 200 Mbit/s case) throughput grows with connections, so 8 moves a
 * typical image's layers all at once (skopeo uses 6).
 */
export const DEFAULT_JOBS = 8;

export interface CopyOptions {
  /** `os/arch[/variant]`: one picks that manifest out of an index, several keep a subset as an index. */
  platforms?: readonly string[];
  /** Blobs transferred at once (default DEFAULT_JOBS). */
  jobs?: number;
  /** Blobs transferred at once per registry host (default: same as jobs). */
  perHostLimit?: number;
  signal?: AbortSignal;
  onEvent?: (event: CopyEvent) => void;
  /** Minimum time between two `blob-progress` events of one blob (default 100 ms). */
  progressIntervalMs?: number;
}

/**
 * Copies the image `source` names to `destination`: blobs first (deduplicated, several at once,
 * each skipped when present or mounted when on the same registry), then each index child once its
 * blobs are stored, then the root manifest, then `commit()`. So the destination never holds a
 * manifest pointing at a missing blob, and any failure or abort ends in `destination.abort()`.
 */
export async function copyImage(source: ImageSource, destination: ImageDestination, options: CopyOptions = {}): Promise<CopySummary> {
  const started = performance.now();
  // Our own controller: the first failure stops every other transfer promptly, not just Ctrl-C.
  const controller = new AbortController();
  const outer = options.signal;
  const onOuterAbort = (): void => controller.abort(abortReason(outer!));
  if (outer?.aborted) onOuterAbort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;
  // Every request in flight listens on it; dozens at once are expected, not a leak.
  setMaxListeners(0, signal);
  const emit = safeEmitter(options.onEvent);
  const pending: Promise<unknown>[] = [];
  // The error that started the unwinding; later ones are mostly the abort it caused.
  let firstFailure: unknown;
  const fail = (err: unknown): void => {
    firstFailure ??= err;
    controller.abort(err);
  };

  try {
    // Asked alongside the source's manifest, so a rerun costs one round trip, not two. A failure
    // here only loses the shortcut; the copy itself will report whatever is wrong.
    const present = destination instanceof RegistryDestination ? destination.currentDigest(signal).catch(() => undefined) : undefined;
    const resolving = performance.now();
    const top = await source.resolve(signal);
    const sourceRoundTrip = performance.now() - resolving;
    const plan = await planCopy(source, top, {
      ...(options.platforms ? { platforms: options.platforms } : {}),
      indexes: destination.capabilities.indexes,
      destination: destination.describe(),
      signal,
    });
    const blobs = uniqueBlobs(plan.images);
    const compressing = blobs.some((d) => needsCompression(d, destination));
    emit({
      type: 'image-start',
      source: source.describe(),
      destination: destination.describe(),
      digest: top.digest,
      blobs: blobs.length,
      bytes: sum(blobs),
      manifests: plan.images.length + (plan.index ? 1 : 0),
    });

    const summary = newSummary(source, destination, plan, blobs);
    if (!compressing && (await alreadyThere(present, plan))) {
      for (const d of blobs) emit({ type: 'blob-skip', ...blobRef(d) });
      summary.blobs.skipped = blobs.length;
      summary.upToDate = true;
      return finish(summary, started, emit);
    }

    const jobs = options.jobs ?? DEFAULT_JOBS;
    const global = new Limiter(jobs);
    const hostLimiters = hostsOf(source, destination).map(() => new Limiter(options.perHostLimit ?? jobs));
    const ctx: BlobTransferContext = {
      source,
      destination,
      ...mountSource(source, destination),
      prefetch: destination instanceof RegistryDestination,
      streams: streamGate(jobs, source, sourceRoundTrip),
      progressIntervalMs: options.progressIntervalMs ?? 100,
      emit,
      signal,
    };
    // Largest first: with fewer slots than blobs, the long transfers start early and finish together.
    const outcomes = new Map<Digest, Promise<BlobOutcome>>();
    for (const d of [...blobs].sort((a, b) => b.size - a.size)) {
      const job = runLimited([global, ...hostLimiters], () => transferBlob(d, ctx), signal);
      job.catch(fail);
      outcomes.set(d.digest, job);
      pending.push(job);
    }

    const written = plan.images.map(async (image) => {
      const stored = await Promise.all(manifestBlobs(image.manifest).map((d) => outcomes.get(d.digest)!));
      const raw = rewriteLayers(image, stored);
      if (!image.root) await putManifest(destination, raw, false, emit, signal);
      return { image, raw };
    });
    pending.push(...written);
    const images = await Promise.all(written);
    for (const outcome of await Promise.all(outcomes.values())) tally(summary, outcome);

    const root = plan.index ? rewriteIndex(plan.index, images) : images.find((i) => i.image.root)!.raw;
    await putManifest(destination, root, true, emit, signal);
    await destination.commit(signal);
    summary.digest = root.digest;
    summary.mediaType = root.mediaType;
    if (root.digest !== plan.sourceDigest && !summary.rewritten) summary.rewritten = 'compressed-layers';
    return finish(summary, started, emit);
  } catch (err) {
    fail(err);
    // Let every transfer unwind (files closed, sessions cancelled) before the destination cleans up.
    await Promise.allSettled(pending);
    await destination.abort();
    if (outer?.aborted) throw abortReason(outer);
    throw firstFailure;
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    await source.close();
  }
}

function finish(summary: CopySummary, started: number, emit: (e: CopyEvent) => void): CopySummary {
  summary.durationMs = Math.round(performance.now() - started);
  emit({ type: 'image-done', summary });
  return summary;
}

async function putManifest(destination: ImageDestination, raw: RawManifest, root: boolean, emit: (e: CopyEvent) => void, signal: AbortSignal): Promise<void> {
  await destination.putManifest(raw, { root, signal });
  emit({ type: 'manifest-put', digest: raw.digest, mediaType: raw.mediaType, root });
}

/**
 * A registry destination whose tag already points at exactly the manifest we would write holds
 * every blob too (registries refuse manifests with missing blobs), so a rerun can stop here.
 */
async function alreadyThere(present: Promise<Digest | undefined> | undefined, plan: CopyPlan): Promise<boolean> {
  if (!present) return false;
  const rootDigest = plan.index?.digest ?? plan.images.find((i) => i.root)!.raw.digest;
  return (await present) === rootDigest;
}

/** A same-registry copy can mount every blob from the source repository instead of moving bytes. */
function mountSource(source: ImageSource, destination: ImageDestination): { mountFrom?: string } {
  if (source instanceof RegistrySource && destination instanceof RegistryDestination && source.registry === destination.registry) {
    return { mountFrom: source.repository };
  }
  return {};
}

/** A far source registry caps each download as a far destination caps each upload: its manifest round trip counts too. */
function streamGate(jobs: number, source: ImageSource, sourceRoundTripMs: number): StreamGate {
  const gate = new StreamGate(jobs);
  if (source instanceof RegistrySource) gate.observeRoundTrip(sourceRoundTripMs);
  return gate;
}

function hostsOf(source: ImageSource, destination: ImageDestination): string[] {
  const hosts = [source, destination].flatMap((e) => (e instanceof RegistrySource || e instanceof RegistryDestination ? [e.registry] : []));
  return [...new Set(hosts)].sort();
}

function manifestBlobs(m: ImageManifest): Descriptor[] {
  return [m.config, ...m.layers];
}

function uniqueBlobs(images: PlannedImage[]): Descriptor[] {
  const byDigest = new Map<Digest, Descriptor>();
  for (const image of images) for (const d of manifestBlobs(image.manifest)) if (!byDigest.has(d.digest)) byDigest.set(d.digest, d);
  return [...byDigest.values()];
}

function tally(summary: CopySummary, outcome: BlobOutcome): void {
  if (outcome.kind === 'skipped') summary.blobs.skipped++;
  else if (outcome.kind === 'mounted') summary.blobs.mounted++;
  else {
    summary.blobs.copied++;
    summary.bytes.moved += outcome.bytes;
  }
}

/** The image manifest with compressed layers' new descriptors; the original bytes when nothing changed. */
function rewriteLayers(image: PlannedImage, stored: BlobOutcome[]): RawManifest {
  const replaced = manifestBlobs(image.manifest).map((d, i) => [d, stored[i]!.stored] as const).filter(([from, to]) => from.digest !== to.digest);
  if (replaced.length === 0) return image.raw;
  const map = new Map(replaced.map(([from, to]) => [from.digest, to]));
  const body = JSON.parse(image.raw.bytes.toString('utf8')) as ImageManifest;
  // Only layers change: the config (and so rootfs.diff_ids, which describe uncompressed content) stays.
  body.layers = body.layers.map((l) => {
    const to = map.get(l.digest);
    return to ? { ...l, mediaType: to.mediaType, digest: to.digest, size: to.size } : l;
  });
  const bytes = Buffer.from(JSON.stringify(body));
  return { digest: computeDigest(bytes), mediaType: image.raw.mediaType, bytes };
}

/** The index with children whose bytes changed (compressed layers) pointing at their new digests. */
function rewriteIndex(index: RawManifest, images: { image: PlannedImage; raw: RawManifest }[]): RawManifest {
  const moved = new Map(images.filter((i) => i.raw.digest !== i.image.raw.digest).map((i) => [i.image.raw.digest, i.raw]));
  if (moved.size === 0) return index;
  const body = JSON.parse(index.bytes.toString('utf8')) as ImageIndex;
  body.manifests = body.manifests.map((d) => {
    const to = moved.get(d.digest);
    return to ? { ...d, digest: to.digest, size: to.bytes.length } : d;
  });
  const bytes = Buffer.from(JSON.stringify(body));
  return { digest: computeDigest(bytes), mediaType: index.mediaType, bytes };
}

function newSummary(source: ImageSource, destination: ImageDestination, plan: CopyPlan, blobs: Descriptor[]): CopySummary {
  const root = plan.index ?? plan.images.find((i) => i.root)!.raw;
  const notes: string[] = [];
  if (plan.rewritten === 'platform-subset') notes.push(`a new index holding ${plan.platforms.join(', ')} was written; its digest differs from the source index ${plan.sourceDigest}`);
  const dockerTyped = [root, ...plan.images.map((i) => i.raw)].some((m) => m.mediaType === MediaType.DockerManifest || m.mediaType === MediaType.DockerManifestList);
  if (destination instanceof OciLayoutDestination && dockerTyped) {
    notes.push('Docker-typed manifests were stored byte for byte (same digests); skopeo 1.9 would convert them to OCI when writing a layout');
  }
  return {
    source: source.describe(),
    destination: destination.describe(),
    digest: root.digest,
    mediaType: root.mediaType,
    sourceDigest: plan.sourceDigest,
    ...(plan.rewritten ? { rewritten: plan.rewritten } : {}),
    platforms: plan.platforms,
    blobs: { total: blobs.length, copied: 0, skipped: 0, mounted: 0 },
    bytes: { total: sum(blobs), moved: 0 },
    manifests: plan.images.length + (plan.index ? 1 : 0),
    upToDate: false,
    durationMs: 0,
    notes,
  };
}

function sum(blobs: Descriptor[]): number {
  return blobs.reduce((n, d) => n + d.size, 0);
}

function safeEmitter(onEvent: ((e: CopyEvent) => void) | undefined): (e: CopyEvent) => void {
  if (!onEvent) return () => {};
  return (event) => {
    try {
      onEvent(event);
    } catch {
      // a broken progress display must not break a transfer
    }
  };
}
