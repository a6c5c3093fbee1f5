import { rename } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { Readable } from 'node:stream';
import { VerifyingStream } from '../digest/index.js';
import { ArchiveError } from '../errors/index.js';
import { isManifestMediaType, type Descriptor } from '../manifest/index.js';
import type { DestinationCapabilities, ImageDestination, PutBlobOptions, PutManifestOptions, RawManifest } from './image-io.js';
import {
  INDEX_FILE,
  OCI_LAYOUT_CONTENT,
  OCI_LAYOUT_FILE,
  REF_NAME_ANNOTATION,
  blobPath,
  checkLayoutMarker,
  emptyIndex,
  readLayoutIndex,
  withLayoutEntry,
} from './layout-files.js';
import { CreatedPaths, fileSize, pathExists, streamToFile, tempPathFor, writeFileAtomic } from './temp-files.js';

export interface OciLayoutDestinationOptions {
  /** Recorded as `org.opencontainers.image.ref.name` unless `putManifest` names another tag. */
  tag?: string;
}

/**
 * Writes an image into an OCI image layout directory (`oci:DIR[:TAG]`), creating it if needed and
 * keeping every other image an existing layout holds.
 *
 * Blobs are streamed to hidden temp names inside `blobs/sha256/` and only renamed to their digest
 * names at `commit()`, followed by `index.json` (temp + rename). So until commit the layout looks
 * exactly as before, and `abort()` only has to delete temp files and the directories it made.
 *
 * Manifests are stored byte for byte, Docker media types included (as docker 25's own layouts
 * do). skopeo 1.9 lists only OCI-typed entries of index.json, so a copy engine that wants such a
 * layout readable by old skopeo must convert Docker manifests to OCI before `putManifest`.
 */
export class OciLayoutDestination implements ImageDestination {
  readonly root: string;
  readonly tag: string | undefined;
  readonly capabilities: DestinationCapabilities = { indexes: true, layerEncodings: ['*'] };

  /** final blob path -> temp file holding its verified content */
  private readonly staged = new Map<string, string>();
  /** final blob path -> write in progress, so the same blob requested twice at once is written once */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly created = new CreatedPaths();
  private rootEntry: Descriptor | undefined;
  private checked = false;
  private finished = false;

  constructor(dir: string, options: OciLayoutDestinationOptions = {}) {
    this.root = resolvePath(dir);
    this.tag = options.tag;
  }

  describe(): string {
    return `oci:${this.root}${this.tag !== undefined ? `:${this.tag}` : ''}`;
  }

  async hasBlob(descriptor: Descriptor): Promise<boolean> {
    const path = blobPath(this.root, descriptor.digest);
    if (this.staged.has(path)) return true;
    // The name is the validated digest, so a file of the right size there is that blob: the same
    // trust skopeo and crane place in a layout's own content addressing.
    return (await fileSize(path)) === descriptor.size;
  }

  async putBlob(descriptor: Descriptor, body: () => Readable, signal?: AbortSignal, options: PutBlobOptions = {}): Promise<void> {
    this.assertOpen();
    const path = blobPath(this.root, descriptor.digest);
    const pending = this.writing.get(path);
    if (pending) return pending;
    const write = this.writeBlob(path, descriptor, body, signal, options.sourceVerified === true).finally(() => this.writing.delete(path));
    this.writing.set(path, write);
    return write;
  }

  private async writeBlob(path: string, descriptor: Descriptor, body: () => Readable, signal: AbortSignal | undefined, sourceVerified: boolean): Promise<void> {
    if (await this.hasBlob(descriptor)) return;
    await this.prepare(dirname(path));
    const temp = tempPathFor(path);
    this.created.addFile(temp);
    const verifier = new VerifyingStream({
      what: `blob ${descriptor.digest} for ${this.describe()}`,
      expectedDigest: descriptor.digest,
      expectedSize: descriptor.size,
      sizeOnly: sourceVerified,
    });
    await streamToFile(temp, body(), [verifier], signal);
    this.staged.set(path, temp);
  }

  async putManifest(manifest: RawManifest, options: PutManifestOptions): Promise<void> {
    this.assertOpen();
    const descriptor: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
    await this.putBlob(descriptor, () => Readable.from([manifest.bytes]), options.signal);
    if (!options.root) return;
    if (!isManifestMediaType(manifest.mediaType)) {
      throw new ArchiveError(this.root, `cannot record ${manifest.digest} in ${INDEX_FILE}: media type ${manifest.mediaType} is not a manifest or index`);
    }
    const tag = options.tag ?? this.tag;
    this.rootEntry = tag !== undefined ? { ...descriptor, annotations: { [REF_NAME_ANNOTATION]: tag } } : descriptor;
  }

  async commit(): Promise<void> {
    this.assertOpen();
    await this.prepare(join(this.root, 'blobs', 'sha256'));
    for (const [path, temp] of this.staged) {
      await rename(temp, path);
      this.created.forgetFile(temp);
    }
    this.staged.clear();
    if (!(await pathExists(join(this.root, OCI_LAYOUT_FILE)))) await writeFileAtomic(join(this.root, OCI_LAYOUT_FILE), OCI_LAYOUT_CONTENT);
    if (this.rootEntry) {
      // Re-read now rather than at open: another writer may have added images meanwhile.
      const index = withLayoutEntry(await readLayoutIndex(this.root, emptyIndex()), this.rootEntry);
      await writeFileAtomic(join(this.root, INDEX_FILE), `${JSON.stringify(index)}\n`);
    }
    this.created.keepDirectories();
    this.finished = true;
    await this.created.removeAll();
  }

  async abort(): Promise<void> {
    this.staged.clear();
    await this.created.removeAll();
    this.finished = true;
  }

  /** Creates `dir` (recording what it made) after making sure `root` is a layout or can become one. */
  private async prepare(dir: string): Promise<void> {
    if (!this.checked) {
      if (await pathExists(join(this.root, OCI_LAYOUT_FILE))) {
        await checkLayoutMarker(this.root);
        await readLayoutIndex(this.root, emptyIndex());
      }
      this.checked = true;
    }
    await this.created.mkdirs(dir);
  }

  private assertOpen(): void {
    if (this.finished) throw new ArchiveError(this.root, 'destination was already committed or aborted; open a new one');
  }
}
