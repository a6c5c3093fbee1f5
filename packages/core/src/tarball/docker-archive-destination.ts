import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack, type Pack } from 'tar-stream';
import { digestHex, type Digest } from '../digest/index.js';
import { ArchiveError } from '../errors/index.js';
import { isIndexMediaType, parseManifest, type Descriptor } from '../manifest/index.js';
import { MAX_METADATA_BYTES } from '../layout/file-blobs.js';
import type { DestinationCapabilities, ImageDestination, PutManifestOptions, RawManifest } from '../layout/image-io.js';
import { FILE_STREAM_HIGH_WATER_MARK, tempPathFor } from '../layout/temp-files.js';
import { ARCHIVE_MANIFEST_FILE, ARCHIVE_REPOSITORIES_FILE, normalizeRepoTag, type ArchiveManifestEntry } from './archive-manifest.js';
import { readDiffIds } from './archive-manifest.js';
import { checkDiffId, spoolDecompressed } from './layer-compression.js';

export interface DockerArchiveDestinationOptions {
  /** `name:tag` recorded in RepoTags unless `putManifest` names another. */
  tag?: string;
}

interface SpooledBlob {
  path: string;
  /** Digest of the spooled (uncompressed) content: the diff_id for a layer, the digest for anything else. */
  contentDigest: Digest;
  size: number;
}

interface ArchivedImage {
  config: SpooledBlob;
  layers: SpooledBlob[];
  repoTags: string[];
}

/**
 * Writes a `docker save` archive (`docker-archive:FILE[:NAME:TAG]`) that `docker load` (all
 * versions) and skopeo read: `manifest.json`, `repositories`, the config as `<hex>.json` and each
 * layer as uncompressed tar at `<diff_id hex>/layer.tar` — the directory layout docker wrote before
 * 25 (skopeo 1.9 writes the same directories as symlinks to `<diff_id hex>.tar`). Every reader
 * follows the member names in manifest.json, so this is read by old and new docker load alike.
 *
 * A tar member needs its size in its header, and a decompressed layer's size is known only after
 * decompressing, while blobs arrive several at once. So blobs are first spooled (decompressed and
 * verified) into a hidden directory next to FILE; `commit()` then writes the tar sequentially to a
 * temp file beside FILE and renames it into place. `abort()` deletes both, so FILE is either
 * untouched or complete.
 */
export class DockerArchiveDestination implements ImageDestination {
  readonly file: string;
  readonly tag: string | undefined;
  readonly capabilities: DestinationCapabilities = { indexes: false, layerEncodings: ['gzip', 'uncompressed'] };

  private spoolDir: Promise<string> | undefined;
  private spoolCount = 0;
  /** blob digest as the source names it -> spooled file */
  private readonly blobs = new Map<string, Promise<SpooledBlob>>();
  private readonly images: ArchivedImage[] = [];
  private tempFile: string | undefined;
  private finished = false;

  constructor(file: string, options: DockerArchiveDestinationOptions = {}) {
    this.file = resolvePath(file);
    this.tag = options.tag === undefined ? undefined : normalizeRepoTag(options.tag);
  }

  describe(): string {
    return `docker-archive:${this.file}${this.tag !== undefined ? `:${this.tag}` : ''}`;
  }

  async hasBlob(descriptor: Descriptor): Promise<boolean> {
    return this.blobs.has(descriptor.digest);
  }

  async putBlob(descriptor: Descriptor, body: () => Readable, signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    let spooled = this.blobs.get(descriptor.digest);
    if (!spooled) {
      spooled = this.spool(descriptor, body, signal);
      this.blobs.set(descriptor.digest, spooled);
      // a failed spool must not satisfy a later hasBlob/putBlob for the same digest
      spooled.catch(() => this.blobs.delete(descriptor.digest));
    }
    await spooled;
  }

  async putManifest(manifest: RawManifest, options: PutManifestOptions): Promise<void> {
    this.assertOpen();
    if (isIndexMediaType(manifest.mediaType) || !options.root) {
      throw new ArchiveError(this.file, `a docker archive holds single-platform images and cannot store an image index (${manifest.digest})`, {
        hint: 'choose one platform, e.g. --platform linux/amd64',
      });
    }
    const parsed = parseManifest(manifest.bytes, manifest.mediaType).manifest;
    if (!('config' in parsed)) throw new ArchiveError(this.file, `manifest ${manifest.digest} has no config`);
    const config = await this.spooled(parsed.config, 'config');
    const configBytes = await readFile(config.path);
    if (configBytes.length > MAX_METADATA_BYTES) throw new ArchiveError(this.file, `config ${parsed.config.digest} is larger than ${MAX_METADATA_BYTES} bytes`);
    const diffIds = readDiffIds(configBytes, parsed.config.digest, this.file);
    if (diffIds.length !== parsed.layers.length) {
      throw new ArchiveError(this.file, `config ${parsed.config.digest} lists ${diffIds.length} diff_ids for ${parsed.layers.length} layers`);
    }
    const layers: SpooledBlob[] = [];
    for (const [i, layer] of parsed.layers.entries()) {
      const spooled = await this.spooled(layer, `layer ${i}`);
      checkDiffId(`layer ${layer.digest}`, diffIds[i]!, spooled.contentDigest);
      layers.push(spooled);
    }
    const tag = options.tag !== undefined ? normalizeRepoTag(options.tag) : this.tag;
    // A tag names one image: a later image with the same tag takes it over, as docker load does.
    for (const image of this.images) image.repoTags = image.repoTags.filter((t) => t !== tag);
    this.images.push({ config, layers, repoTags: tag !== undefined ? [tag] : [] });
  }

  async commit(signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    if (this.images.length === 0) throw new ArchiveError(this.file, 'nothing to write: no image manifest was stored before commit');
    this.tempFile = tempPathFor(this.file);
    const tar = pack();
    const out = createWriteStream(this.tempFile, { flags: 'wx', mode: 0o644, highWaterMark: FILE_STREAM_HIGH_WATER_MARK });
    const writing = pipeline(tar as unknown as Readable, out, signal ? { signal } : {});
    try {
      await Promise.all([this.writeMembers(tar), writing]);
      const handle = await open(this.tempFile, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(this.tempFile, this.file);
      this.tempFile = undefined;
    } catch (err) {
      tar.destroy();
      await this.abort();
      throw err;
    }
    this.finished = true;
    await this.removeSpool();
  }

  async abort(): Promise<void> {
    this.finished = true;
    if (this.tempFile) await rm(this.tempFile, { force: true });
    this.tempFile = undefined;
    await this.removeSpool();
  }

  private async writeMembers(tar: Pack): Promise<void> {
    const written = new Set<string>();
    const entries: ArchiveManifestEntry[] = [];
    const repositories: Record<string, Record<string, string>> = {};
    for (const image of this.images) {
      const configName = `${digestHex(image.config.contentDigest)}.json`;
      const layerNames = image.layers.map((l) => `${digestHex(l.contentDigest)}/layer.tar`);
      for (const [name, blob] of [[configName, image.config] as const, ...image.layers.map((l, i) => [layerNames[i]!, l] as const)]) {
        if (written.has(name)) continue;
        written.add(name);
        await addFile(tar, name, blob);
      }
      entries.push({ Config: configName, RepoTags: image.repoTags, Layers: layerNames });
      const top = image.layers.at(-1);
      for (const t of image.repoTags) {
        const colon = t.lastIndexOf(':');
        if (top) (repositories[t.slice(0, colon)] ??= {})[t.slice(colon + 1)] = digestHex(top.contentDigest);
      }
    }
    await addBuffer(tar, ARCHIVE_MANIFEST_FILE, Buffer.from(JSON.stringify(entries)));
    await addBuffer(tar, ARCHIVE_REPOSITORIES_FILE, Buffer.from(JSON.stringify(repositories)));
    tar.finalize();
  }

  private async spool(descriptor: Descriptor, body: () => Readable, signal?: AbortSignal): Promise<SpooledBlob> {
    this.spoolDir ??= mkdtemp(join(dirname(this.file), `.${basename(this.file)}.spool-`));
    const path = join(await this.spoolDir, String(this.spoolCount++));
    const what = `blob ${descriptor.digest} for ${this.describe()}`;
    const { contentDigest, size } = await spoolDecompressed(descriptor, body(), path, { what, archive: this.file, ...(signal ? { signal } : {}) });
    return { path, contentDigest, size };
  }

  private async spooled(descriptor: Descriptor, what: string): Promise<SpooledBlob> {
    const spooled = this.blobs.get(descriptor.digest);
    if (!spooled) throw new ArchiveError(this.file, `${what} ${descriptor.digest} was not stored before its manifest`, { hint: 'put every blob before the manifest that refers to it' });
    return spooled;
  }

  private async removeSpool(): Promise<void> {
    const dir = this.spoolDir;
    this.spoolDir = undefined;
    const path = await dir?.catch(() => undefined);
    if (path) await rm(path, { recursive: true, force: true });
  }

  private assertOpen(): void {
    if (this.finished) throw new ArchiveError(this.file, 'destination was already committed or aborted; open a new one');
  }
}

function addBuffer(tar: Pack, name: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    tar.entry({ name, size: data.length, mode: 0o644, mtime: new Date(0) }, data, (err) => (err ? reject(err) : resolve()));
  });
}

async function addFile(tar: Pack, name: string, blob: SpooledBlob): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const sink = tar.entry({ name, size: blob.size, mode: 0o644, mtime: new Date(0) }, (err) => (err ? reject(err) : resolve()));
    pipeline(createReadStream(blob.path, { highWaterMark: FILE_STREAM_HIGH_WATER_MARK }), sink as unknown as NodeJS.WritableStream).catch(reject);
  });
}
