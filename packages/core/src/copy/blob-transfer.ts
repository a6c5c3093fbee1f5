import type { ImageDestination, ImageSource } from '../layout/image-io.js';
import type { Descriptor } from '../manifest/index.js';
import { compressLayer, DOCKER_LAYER_UNCOMPRESSED } from '../tarball/layer-compression.js';
import { pipeline, type Readable } from 'node:stream';
import { BlobBody, HoldLastChunk } from './blob-body.js';
import type { BlobRef, CopyEvent } from './events.js';
import type { StreamGate } from './stream-gate.js';

export type BlobOutcome =
  | { kind: 'skipped'; stored: Descriptor }
  | { kind: 'mounted'; stored: Descriptor }
  | { kind: 'copied'; stored: Descriptor; bytes: number };

export interface BlobTransferContext {
  source: ImageSource;
  destination: ImageDestination;
  /** Repository on the destination's registry that already holds every source blob (a same-registry copy). */
  mountFrom?: string;
  /** Start reading the source while the destination opens its upload (registry destinations). */
  prefetch: boolean;
  progressIntervalMs: number;
  /** Limits how many bodies stream at once; absent means as many as jobs. */
  streams?: StreamGate;
  emit(event: CopyEvent): void;
  signal: AbortSignal;
}

/** Whether this layer must be gzipped first: a Docker uncompressed layer going where only compressed ones belong. */
export function needsCompression(descriptor: Descriptor, destination: ImageDestination): boolean {
  const accepts = destination.capabilities.layerEncodings;
  return descriptor.mediaType === DOCKER_LAYER_UNCOMPRESSED && !accepts.includes('*') && !accepts.includes('uncompressed');
}

/**
 * Makes one blob exist at the destination: skip if present, mount if the registry can link it,
 * otherwise stream it from the source. Resolves to the descriptor as stored (a compressed layer
 * has a new digest the manifest must be rewritten with).
 */
export async function transferBlob(descriptor: Descriptor, ctx: BlobTransferContext): Promise<BlobOutcome> {
  const ref = blobRef(descriptor);
  try {
    if (needsCompression(descriptor, ctx.destination)) return await transferCompressed(descriptor, ctx);
    return await transferAsIs(descriptor, ctx);
  } catch (err) {
    ctx.emit({ type: 'blob-fail', ...ref, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

async function transferAsIs(descriptor: Descriptor, ctx: BlobTransferContext): Promise<BlobOutcome> {
  const { destination, signal } = ctx;
  const ref = blobRef(descriptor);
  const asked = performance.now();
  const present = await destination.hasBlob(descriptor, signal);
  ctx.streams?.observeRoundTrip(performance.now() - asked);
  if (present) {
    ctx.emit({ type: 'blob-skip', ...ref });
    return { kind: 'skipped', stored: descriptor };
  }
  if (ctx.mountFrom !== undefined && destination.mountBlob && (await destination.mountBlob(descriptor, ctx.mountFrom, signal))) {
    ctx.emit({ type: 'blob-mount', ...ref, from: ctx.mountFrom });
    return { kind: 'mounted', stored: descriptor };
  }
  const bytes = await stream(descriptor, ref, () => ctx.source.getBlob(descriptor, signal), ctx, ctx.prefetch);
  return { kind: 'copied', stored: descriptor, bytes };
}

/**
 * A docker-archive layer bound for a registry: gzip it once into a temp file (the registry needs
 * the compressed digest before the upload can finish), then upload that. Deterministic gzip makes
 * a rerun produce the same digest, so a rerun still skips what is there.
 */
async function transferCompressed(descriptor: Descriptor, ctx: BlobTransferContext): Promise<BlobOutcome> {
  const { destination, signal } = ctx;
  const ref = blobRef(descriptor);
  ctx.emit({ type: 'blob-start', ...ref });
  const progress = throttled(ref, ctx);
  let read = 0;
  const counted = new HoldLastChunk((n) => progress((read += n)));
  pipeline(await ctx.source.getBlob(descriptor, signal), counted, () => undefined);
  const layer = await compressLayer(counted, { uncompressed: descriptor, signal });
  try {
    const stored = layer.descriptor;
    ctx.emit({ type: 'blob-compressed', digest: descriptor.digest, size: descriptor.size, compressed: blobRef(stored) });
    if (!(await destination.hasBlob(stored, signal))) {
      await destination.putBlob(stored, () => layer.open(signal), signal);
      ctx.emit({ type: 'blob-done', ...ref, bytes: read });
      return { kind: 'copied', stored, bytes: read };
    }
    ctx.emit({ type: 'blob-skip', ...ref });
    return { kind: 'skipped', stored };
  } finally {
    await layer.dispose();
  }
}

async function stream(descriptor: Descriptor, ref: BlobRef, open: () => Promise<Readable>, ctx: BlobTransferContext, prefetch: boolean): Promise<number> {
  const leave = await ctx.streams?.enter(ctx.signal);
  ctx.emit({ type: 'blob-start', ...ref });
  // This blob's own signal: a source failure cancels this upload at once, not only at a timeout.
  const controller = new AbortController();
  const onCopyAbort = (): void => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onCopyAbort, { once: true });
  const body = new BlobBody(
    open,
    throttled(ref, ctx),
    prefetch,
    (err) => controller.abort(err),
    // the slot is for moving bytes; waiting for the registry to commit them does not need it
    () => leave?.(),
  );
  try {
    // BlobBody releases the last byte only after the source's own digest check passed
    await ctx.destination.putBlob(descriptor, body.factory, controller.signal, { sourceVerified: true });
    // a source that failed after its body was accepted (an empty blob under a wrong digest) still fails the copy
    if (body.failure !== undefined) throw body.failure;
  } catch (err) {
    throw body.failure ?? err;
  } finally {
    ctx.signal.removeEventListener('abort', onCopyAbort);
    leave?.();
    body.dispose();
  }
  ctx.emit({ type: 'blob-done', ...ref, bytes: body.bytesRead });
  return body.bytesRead;
}

/** Progress events for one blob, at most one per interval (never one per chunk). */
function throttled(ref: BlobRef, ctx: BlobTransferContext): (total: number) => void {
  let last = 0;
  return (total) => {
    const now = performance.now();
    if (now - last < ctx.progressIntervalMs && total < ref.size) return;
    last = now;
    ctx.emit({ type: 'blob-progress', ...ref, bytes: total });
  };
}

export function blobRef(d: Descriptor): BlobRef {
  return { digest: d.digest, size: d.size, mediaType: d.mediaType };
}
