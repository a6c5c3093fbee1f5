import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { computeDigest, type Digest } from '../digest/index.js';
import { ArchiveError } from '../errors/index.js';
import { MediaType, type Descriptor } from '../manifest/index.js';
import { openVerifiedRange, readRange, MAX_METADATA_BYTES, type FileRange } from '../layout/file-blobs.js';
import type { ImageSource, RawManifest } from '../layout/image-io.js';
import { FILE_STREAM_HIGH_WATER_MARK } from '../layout/temp-files.js';
import { ARCHIVE_MANIFEST_FILE, parseArchiveManifest, readDiffIds, selectArchiveImage, type ArchiveImageRef } from './archive-manifest.js';
import { DOCKER_LAYER_UNCOMPRESSED, sniffEncoding } from './layer-compression.js';
import { indexTar, resolveMember, type TarIndex } from './tar-index.js';

export interface DockerArchiveSourceOptions {
  /** Which image (`name:tag` or `@N`); omit for an archive holding one image. */
  ref?: ArchiveImageRef;
}

interface OpenedImage {
  manifest: RawManifest;
  /** digest -> byte range of the member holding that blob */
  blobs: Map<string, FileRange>;
}

/** `sha256:<hex>` when a member name ends in a digest (`blobs/sha256/<hex>`, `<hex>.json`). */
function digestInName(name: string): Digest | undefined {
  const m = /(?:^|\/)(?:sha256\/)?([a-f0-9]{64})(?:\.json)?$/.exec(name);
  return m ? (`sha256:${m[1]}` as Digest) : undefined;
}

/**
 * Reads one image out of a `docker save` archive (`docker-archive:FILE[:REF]`): the legacy layout
 * (`<id>/layer.tar`, `<hex>.json`) as well as the OCI-style `blobs/sha256/<hex>` docker 25+ writes.
 *
 * The archive is indexed once and never extracted: every blob is a byte range of the file. The
 * image is presented as a Docker v2 schema 2 manifest whose layers are the archive members as they
 * are — normally uncompressed tar, so layer digest = diff_id; a copy to a registry compresses them
 * with `compressLayer` first.
 */
export class DockerArchiveSource implements ImageSource {
  readonly file: string;
  readonly ref: ArchiveImageRef | undefined;
  private opened: Promise<OpenedImage> | undefined;

  constructor(file: string, options: DockerArchiveSourceOptions = {}) {
    this.file = resolvePath(file);
    this.ref = options.ref;
  }

  describe(): string {
    const ref = this.ref === undefined ? '' : 'index' in this.ref ? `:@${this.ref.index}` : `:${this.ref.tag}`;
    return `docker-archive:${this.file}${ref}`;
  }

  async resolve(signal?: AbortSignal): Promise<RawManifest> {
    return (await this.open(signal)).manifest;
  }

  async getManifest(digest: Digest, signal?: AbortSignal): Promise<RawManifest> {
    const { manifest } = await this.open(signal);
    if (digest !== manifest.digest) throw new ArchiveError(this.file, `archive holds no manifest ${digest}; it has only the image manifest ${manifest.digest}`);
    return manifest;
  }

  async getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    const range = (await this.open(signal)).blobs.get(descriptor.digest);
    if (!range) throw new ArchiveError(this.file, `archive holds no blob ${descriptor.digest}`);
    return openVerifiedRange(this.file, range, descriptor, `blob ${descriptor.digest} in ${this.describe()}`, signal);
  }

  async close(): Promise<void> {
    // reads open their own handles
  }

  private open(signal?: AbortSignal): Promise<OpenedImage> {
    this.opened ??= this.load(signal);
    // a failed load (aborted, unreadable file) should not be cached for the next attempt
    this.opened.catch(() => {
      this.opened = undefined;
    });
    return this.opened;
  }

  private async load(signal?: AbortSignal): Promise<OpenedImage> {
    const index = await indexTar(this.file, signal);
    const listing = resolveMember(index, ARCHIVE_MANIFEST_FILE);
    if (listing.length > MAX_METADATA_BYTES) throw new ArchiveError(this.file, `${ARCHIVE_MANIFEST_FILE} is larger than ${MAX_METADATA_BYTES} bytes`);
    const entry = selectArchiveImage(parseArchiveManifest(await readRange(this.file, listing, this.file), this.file), this.ref, this.file);

    const configMember = resolveMember(index, entry.Config);
    if (configMember.length > MAX_METADATA_BYTES) throw new ArchiveError(this.file, `config ${entry.Config} is larger than ${MAX_METADATA_BYTES} bytes`);
    const configBytes = await readRange(this.file, configMember, this.file);
    const configDigest = computeDigest(configBytes);
    const named = digestInName(entry.Config);
    if (named && named !== configDigest) throw new ArchiveError(this.file, `config "${entry.Config}" hashes to ${configDigest}, not the digest its name claims`);
    const diffIds = readDiffIds(configBytes, entry.Config, this.file);
    if (diffIds.length !== entry.Layers.length) {
      throw new ArchiveError(this.file, `config ${entry.Config} lists ${diffIds.length} diff_ids but ${ARCHIVE_MANIFEST_FILE} lists ${entry.Layers.length} layers`);
    }

    const blobs = new Map<string, FileRange>([[configDigest, configMember]]);
    const layers: Descriptor[] = [];
    for (const [i, name] of entry.Layers.entries()) {
      const member = resolveMember(index, name);
      const layer = await this.describeLayer(index, name, member, diffIds[i]!, signal);
      blobs.set(layer.digest, member);
      layers.push(layer);
    }

    const body = {
      schemaVersion: 2,
      mediaType: MediaType.DockerManifest,
      config: { mediaType: MediaType.DockerConfig, digest: configDigest, size: configBytes.length },
      layers,
    };
    const bytes = Buffer.from(JSON.stringify(body));
    return { manifest: { digest: computeDigest(bytes), mediaType: MediaType.DockerManifest, bytes }, blobs };
  }

  /**
   * An uncompressed member is described by its diff_id (verified when read). A compressed one
   * (docker's containerd store saves registry blobs as they are) needs its own digest: from the
   * name when it is `blobs/sha256/<hex>` (verified when read), else by hashing it once here.
   */
  private async describeLayer(index: TarIndex, name: string, member: FileRange, diffId: Digest, signal?: AbortSignal): Promise<Descriptor> {
    const encoding = sniffEncoding(await readRange(this.file, { start: member.start, length: Math.min(4, member.length) }, this.file));
    if (encoding === 'uncompressed') return { mediaType: DOCKER_LAYER_UNCOMPRESSED, digest: diffId, size: member.length };
    if (encoding === 'zstd') {
      throw new ArchiveError(index.file, `layer "${name}" is zstd-compressed, which a Docker v2 schema 2 image cannot carry`, { hint: 'save the image without zstd compression' });
    }
    const digest = digestInName(name) ?? (await hashRange(this.file, member, signal));
    return { mediaType: MediaType.DockerLayerGzip, digest, size: member.length };
  }
}

async function hashRange(file: string, range: FileRange, signal?: AbortSignal): Promise<Digest> {
  const hash = createHash('sha256');
  const stream = createReadStream(file, { start: range.start, end: range.start + range.length - 1, highWaterMark: FILE_STREAM_HIGH_WATER_MARK, ...(signal ? { signal } : {}) });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

