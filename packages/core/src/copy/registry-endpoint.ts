import type { Readable } from 'node:stream';
import { isDigest, verifyDigest, type Digest } from '../digest/index.js';
import { DigestMismatchError } from '../errors/index.js';
import type { DestinationCapabilities, ImageDestination, ImageSource, PutManifestOptions, RawManifest } from '../layout/image-io.js';
import type { Descriptor } from '../manifest/index.js';
import type { RegistryClient } from '../registry/client.js';
import { apiPath, scopes } from '../registry/context.js';
import { expectStatus } from '../registry/response.js';
import { formatReference, referenceIdentifier, type Reference } from '../reference/index.js';

/** One repository of a registry, as either end of a copy. */
abstract class RegistryEndpoint {
  constructor(
    readonly client: RegistryClient,
    readonly reference: Reference,
  ) {}

  get registry(): string {
    return this.reference.registry;
  }

  get repository(): string {
    return this.reference.repository;
  }

  describe(): string {
    return `docker://${formatReference(this.reference)}`;
  }
}

/** Reads an image from a registry repository (`docker://HOST/REPO[:TAG|@DIGEST]`). */
export class RegistrySource extends RegistryEndpoint implements ImageSource {
  async resolve(signal?: AbortSignal): Promise<RawManifest> {
    return this.fetch(referenceIdentifier(this.reference), signal);
  }

  async getManifest(digest: Digest, signal?: AbortSignal): Promise<RawManifest> {
    return this.fetch(digest, signal);
  }

  /** The blob, verified as it streams (the stream errors at its end on a digest or size mismatch). */
  getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    return this.client.getBlob(this.repository, descriptor.digest, { expectedSize: descriptor.size, ...(signal ? { signal } : {}) });
  }

  async close(): Promise<void> {
    // the transport belongs to whoever opened it (a TransportPool), shared with other endpoints
  }

  private async fetch(ref: string, signal?: AbortSignal): Promise<RawManifest> {
    const m = await this.client.getManifest(this.repository, ref, signal ? { signal } : {});
    return { digest: m.digest, mediaType: m.mediaType, bytes: m.bytes };
  }
}

/**
 * Writes an image to a registry repository. Blobs are uploaded as they come; manifests go by digest
 * (index children) or by the destination's tag (the root). Nothing can be staged on a registry, so
 * `commit` and `abort` have nothing to do: a failed copy leaves at most unreferenced blobs, which the
 * registry's garbage collection reclaims, and never a tag pointing at something incomplete.
 */
export class RegistryDestination extends RegistryEndpoint implements ImageDestination {
  readonly capabilities: DestinationCapabilities = { indexes: true, layerEncodings: ['gzip'] };

  async hasBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<boolean> {
    const head = await this.client.headBlob(this.repository, descriptor.digest, signal ? { signal } : {});
    return head !== undefined && head.size === descriptor.size;
  }

  async putBlob(descriptor: Descriptor, body: () => Readable, signal?: AbortSignal): Promise<void> {
    await this.client.uploadBlob(this.repository, { digest: descriptor.digest, size: descriptor.size }, body, signal ? { signal } : {});
  }

  /**
   * Asks the registry to link a blob another repository holds (one POST, no bytes). A refused mount
   * opens an upload session, which is cancelled here so the caller can upload the ordinary way.
   */
  async mountBlob(descriptor: Descriptor, fromRepository: string, signal?: AbortSignal): Promise<boolean> {
    if (fromRepository === this.repository) return this.hasBlob(descriptor, signal);
    const { transport } = this.client;
    const what = `blob ${this.registry}/${this.repository}@${descriptor.digest} (mount from ${fromRepository})`;
    const url = `${apiPath(this.repository, 'blobs', 'uploads')}/?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(fromRepository)}`;
    const res = await transport.request({
      method: 'POST',
      url,
      scopes: [...scopes.push(this.repository), ...scopes.pull(fromRepository)],
      ...(signal ? { signal } : {}),
    });
    await expectStatus(res, [201, 202], 'POST', what);
    await res.dump();
    if (res.status === 201) return true;
    const location = res.headers.get('location');
    if (location) {
      // Best effort: the registry expires abandoned sessions anyway.
      await transport
        .request({ method: 'DELETE', url: new URL(location, res.url).toString(), signal: AbortSignal.timeout(5_000) })
        .then((r) => r.dump())
        .catch(() => undefined);
    }
    return false;
  }

  /** The digest the destination tag (or digest) points at now, if any: lets a rerun stop early. */
  async currentDigest(signal?: AbortSignal): Promise<Digest | undefined> {
    const head = await this.client.headManifest(this.repository, referenceIdentifier(this.reference), signal ? { signal } : {});
    return head?.digest;
  }

  async putManifest(manifest: RawManifest, options: PutManifestOptions): Promise<void> {
    const call = options.signal ? { signal: options.signal } : {};
    if (!options.root) {
      await this.client.putManifest(this.repository, manifest.digest, manifest.bytes, manifest.mediaType, call);
      return;
    }
    const pinned = this.reference.digest;
    if (pinned !== undefined && isDigest(pinned)) {
      // A destination named by digest can only ever receive exactly that content.
      if (pinned !== manifest.digest) throw new DigestMismatchError(`destination ${this.describe()}`, pinned, manifest.digest);
      verifyDigest(`manifest for ${this.describe()}`, manifest.bytes, pinned);
    }
    const ref = options.tag ?? this.reference.tag ?? pinned ?? manifest.digest;
    await this.client.putManifest(this.repository, ref, manifest.bytes, manifest.mediaType, call);
  }

  async commit(): Promise<void> {
    // every write is already final on a registry
  }

  async abort(): Promise<void> {
    // see the class comment: nothing to undo
  }
}
