import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import type { Digest } from '../digest/index.js';
import { ArchiveError } from '../errors/index.js';
import { isManifestMediaType, parseManifest, type Descriptor } from '../manifest/index.js';
import { fileSize } from './temp-files.js';
import { openVerifiedRange, readVerifiedMetadata } from './file-blobs.js';
import type { ImageSource, RawManifest } from './image-io.js';
import { blobPath, checkLayoutMarker, readLayoutIndex, selectLayoutEntry } from './layout-files.js';

export interface OciLayoutSourceOptions {
  /** Matched against `org.opencontainers.image.ref.name`; omit to take the layout's only image. */
  tag?: string;
}

/** Reads an image out of an OCI image layout directory (`oci:DIR[:TAG]`). */
export class OciLayoutSource implements ImageSource {
  readonly root: string;
  readonly tag: string | undefined;

  constructor(dir: string, options: OciLayoutSourceOptions = {}) {
    this.root = resolvePath(dir);
    this.tag = options.tag;
  }

  describe(): string {
    return `oci:${this.root}${this.tag !== undefined ? `:${this.tag}` : ''}`;
  }

  async resolve(): Promise<RawManifest> {
    await checkLayoutMarker(this.root);
    const index = await readLayoutIndex(this.root);
    const entry = selectLayoutEntry(index, this.tag, this.root);
    if (!isManifestMediaType(entry.mediaType)) {
      throw new ArchiveError(this.root, `index.json entry ${entry.digest} has media type ${entry.mediaType}, which is not an image manifest or index`);
    }
    const bytes = await this.readMetadata(entry.digest, entry.size, 'manifest');
    return { digest: entry.digest, mediaType: entry.mediaType, bytes };
  }

  async getManifest(digest: Digest): Promise<RawManifest> {
    const bytes = await this.readMetadata(digest, undefined, 'manifest');
    // A child's media type lives in its parent's descriptor and in the body; the body is what we have here.
    return { digest, mediaType: parseManifest(bytes).mediaType, bytes };
  }

  async getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    await this.requireBlob(descriptor.digest, 'blob');
    return openVerifiedRange(blobPath(this.root, descriptor.digest), { start: 0, length: descriptor.size }, descriptor, this.what(descriptor.digest), signal);
  }

  async close(): Promise<void> {
    // every read opens and closes its own file handle
  }

  private what(digest: string): string {
    return `blob ${digest} in ${this.describe()}`;
  }

  private async requireBlob(digest: Digest, kind: string): Promise<number> {
    const size = await fileSize(blobPath(this.root, digest));
    if (size === undefined) throw new ArchiveError(this.root, `${kind} ${digest} is missing from blobs/`, { hint: 'the layout is incomplete; copy the image into it again' });
    return size;
  }

  private async readMetadata(digest: Digest, expectedSize: number | undefined, kind: string): Promise<Buffer> {
    const size = await this.requireBlob(digest, kind);
    if (expectedSize !== undefined && size !== expectedSize) {
      throw new ArchiveError(this.root, `${kind} ${digest} is ${size} bytes on disk but index.json says ${expectedSize}`);
    }
    return readVerifiedMetadata(blobPath(this.root, digest), { start: 0, length: size }, digest, `${kind} ${digest}`, this.root);
  }
}
