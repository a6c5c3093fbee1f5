import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestAlgorithm, digestHex, isDigest, type Digest } from '../digest/index.js';
import { ArchiveError, ManifestError } from '../errors/index.js';
import { MediaType, parseManifest, type Descriptor, type ImageIndex } from '../manifest/index.js';
import { MAX_METADATA_BYTES } from './file-blobs.js';

/** The annotation OCI layouts use as a tag. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
export const OCI_LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
export const OCI_LAYOUT_VERSION = '1.0.0';
export const OCI_LAYOUT_CONTENT = `${JSON.stringify({ imageLayoutVersion: OCI_LAYOUT_VERSION })}\n`;

/**
 * `blobs/<alg>/<hex>` below `root`. The digest is validated first (only sha256/sha512 with exact
 * lowercase hex), which is what makes a hostile index.json unable to name `../../etc/passwd`.
 */
export function blobPath(root: string, digest: string): string {
  if (!isDigest(digest)) throw new ArchiveError(root, `refusing blob digest ${JSON.stringify(digest.slice(0, 100))}: not a sha256/sha512 digest`);
  return join(root, 'blobs', digestAlgorithm(digest as Digest), digestHex(digest as Digest));
}

/** Checks `oci-layout` says version 1.0.0; a missing file means `root` is not a layout at all. */
export async function checkLayoutMarker(root: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(join(root, OCI_LAYOUT_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ArchiveError(root, `not an OCI image layout (no ${OCI_LAYOUT_FILE} file)`, { hint: 'point at a directory written by skopeo, crane or this tool' });
    }
    throw new ArchiveError(root, `cannot read ${OCI_LAYOUT_FILE}: ${(err as Error).message}`, { cause: err });
  }
  let version: unknown;
  try {
    version = (JSON.parse(text) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
  } catch (err) {
    throw new ArchiveError(root, `${OCI_LAYOUT_FILE} is not valid JSON`, { cause: err });
  }
  if (version !== OCI_LAYOUT_VERSION) {
    throw new ArchiveError(root, `unsupported imageLayoutVersion ${JSON.stringify(version)} in ${OCI_LAYOUT_FILE}; only ${OCI_LAYOUT_VERSION} is supported`);
  }
}

/** Reads and validates `index.json`; a layout without one yet (fresh directory) yields `missing`. */
export async function readLayoutIndex(root: string, missing?: ImageIndex): Promise<ImageIndex> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, INDEX_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && missing) return missing;
    throw new ArchiveError(root, `cannot read ${INDEX_FILE}: ${(err as Error).message}`, { cause: err });
  }
  if (bytes.length > MAX_METADATA_BYTES) throw new ArchiveError(root, `${INDEX_FILE} is larger than ${MAX_METADATA_BYTES} bytes`);
  try {
    const parsed = parseManifest(bytes);
    if (!('manifests' in parsed.manifest)) throw new ManifestError(`${INDEX_FILE} is an image manifest, not an index`);
    return parsed.manifest;
  } catch (err) {
    throw new ArchiveError(root, `${INDEX_FILE} is invalid: ${(err as Error).message}`, { cause: err });
  }
}

export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] };
}

export function refName(descriptor: Descriptor): string | undefined {
  return descriptor.annotations?.[REF_NAME_ANNOTATION];
}

/**
 * The entry `tag` names; with no tag, the only entry. Ambiguity is an error listing the choices,
 * because silently taking the first of several images copies the wrong one.
 */
export function selectLayoutEntry(index: ImageIndex, tag: string | undefined, root: string): Descriptor {
  if (tag !== undefined) {
    const found = index.manifests.find((d) => refName(d) === tag);
    if (!found) {
      throw new ArchiveError(root, `no image tagged "${tag}" in ${INDEX_FILE}`, { hint: `available: ${describeEntries(index)}` });
    }
    return found;
  }
  const only = index.manifests[0];
  if (index.manifests.length === 1 && only) return only;
  if (index.manifests.length === 0) throw new ArchiveError(root, `${INDEX_FILE} lists no images`);
  throw new ArchiveError(root, `${INDEX_FILE} lists ${index.manifests.length} images; name one as oci:${root}:TAG`, {
    hint: `available: ${describeEntries(index)}`,
  });
}

function describeEntries(index: ImageIndex): string {
  if (index.manifests.length === 0) return 'none';
  return index.manifests.map((d) => refName(d) ?? `(untagged ${d.digest.slice(0, 19)}…)`).join(', ');
}

/**
 * `index` with `entry` recorded: an entry with the same ref name is replaced (a tag moves), an
 * untagged entry replaces an untagged one of the same digest, everything else is kept.
 */
export function withLayoutEntry(index: ImageIndex, entry: Descriptor): ImageIndex {
  const tag = refName(entry);
  const kept = index.manifests.filter((d) => (tag !== undefined ? refName(d) !== tag : refName(d) !== undefined || d.digest !== entry.digest));
  return { ...index, schemaVersion: 2, mediaType: index.mediaType ?? MediaType.OciIndex, manifests: [...kept, entry] };
}
