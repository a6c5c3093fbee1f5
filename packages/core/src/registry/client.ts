import type { Readable } from 'node:stream';
import type { Digest } from '../digest/index.js';
import type { Descriptor } from '../manifest/types.js';
import { createTransport } from '../transport/create-transport.js';
import type { RegistryTransport, TransportOptions } from '../transport/types.js';
import { getBlob, headBlob, type GetBlobOptions } from './blobs.js';
import type { CallOptions, ClientContext } from './context.js';
import { catalog, catalogPage, listTags, listTagsPage, type Page, type PageOptions } from './listing.js';
import {
  deleteManifest,
  deleteTag,
  getManifest,
  headManifest,
  putManifest,
  type FetchedManifest,
  type ManifestHead,
} from './manifests.js';
import { expectStatus } from './response.js';
import { listReferrers, type ReferrersOptions } from './referrers.js';
import { uploadBlob, type UploadBlobOptions } from './upload.js';
import type { UploadBody } from './upload-body.js';

/**
 * The OCI distribution API of one registry. Repository names are paths below the registry
 * (`library/alpine`); references are a tag or a digest. Statuses an operation does not expect
 * become `RegistryError`s carrying the spec error codes.
 */
export class RegistryClient {
  private readonly ctx: ClientContext;

  constructor(readonly transport: RegistryTransport) {
    this.ctx = { transport, registry: transport.registry };
  }

  get registry(): string {
    return this.ctx.registry;
  }

  /** Checks that the registry speaks the v2 API and that the credentials (if any) are accepted. */
  async ping(options: CallOptions = {}): Promise<void> {
    const res = await this.transport.request({ method: 'GET', url: '/v2/', signal: options.signal });
    await expectStatus(res, [200], 'GET', `registry ${this.registry}`);
    await res.dump();
  }

  getManifest(repo: string, ref: string, options?: CallOptions): Promise<FetchedManifest> {
    return getManifest(this.ctx, repo, ref, options);
  }

  headManifest(repo: string, ref: string, options?: CallOptions): Promise<ManifestHead | undefined> {
    return headManifest(this.ctx, repo, ref, options);
  }

  putManifest(repo: string, ref: string, bytes: Uint8Array, mediaType: string, options?: CallOptions): Promise<Digest> {
    return putManifest(this.ctx, repo, ref, bytes, mediaType, options);
  }

  deleteManifest(repo: string, digest: Digest, options?: CallOptions): Promise<void> {
    return deleteManifest(this.ctx, repo, digest, options);
  }

  deleteTag(repo: string, tag: string, options?: CallOptions): Promise<void> {
    return deleteTag(this.ctx, repo, tag, options);
  }

  headBlob(repo: string, digest: Digest, options?: CallOptions): Promise<{ size: number } | undefined> {
    return headBlob(this.ctx, repo, digest, options);
  }

  getBlob(repo: string, digest: Digest, options?: GetBlobOptions): Promise<Readable> {
    return getBlob(this.ctx, repo, digest, options);
  }

  uploadBlob(repo: string, blob: { digest: Digest; size: number }, body: UploadBody, options?: UploadBlobOptions): Promise<{ mounted: boolean }> {
    return uploadBlob(this.ctx, repo, blob, body, options);
  }

  tags(repo: string, options?: Omit<PageOptions, 'cursor'>): AsyncIterable<string> {
    return listTags(this.ctx, repo, options);
  }

  listTagsPage(repo: string, options?: PageOptions): Promise<Page> {
    return listTagsPage(this.ctx, repo, options);
  }

  catalog(options?: Omit<PageOptions, 'cursor'>): AsyncIterable<string> {
    return catalog(this.ctx, options);
  }

  catalogPage(options?: PageOptions): Promise<Page> {
    return catalogPage(this.ctx, options);
  }

  referrers(repo: string, digest: Digest, options?: ReferrersOptions): Promise<Descriptor[]> {
    return listReferrers(this.ctx, repo, digest, options);
  }
}

/** A client for `registry` (`ghcr.io`, `127.0.0.1:5000`) over a new transport, or over a ready one. */
export function createRegistryClient(registry: string, options: TransportOptions | RegistryTransport = {}): RegistryClient {
  return new RegistryClient('request' in options ? options : createTransport(registry, options));
}
