import { isDigest, type Digest } from '../digest/index.js';
import { ArchiveError, InvalidReferenceError } from '../errors/index.js';
import { familiarReference, parseReference } from '../reference/index.js';

/** One image in a docker save archive's `manifest.json`. */
export interface ArchiveManifestEntry {
  /** Member name of the config JSON. */
  Config: string;
  RepoTags: string[] | null;
  /** Member names of the layer tars, base layer first. */
  Layers: string[];
}

export const ARCHIVE_MANIFEST_FILE = 'manifest.json';
export const ARCHIVE_REPOSITORIES_FILE = 'repositories';

/** What `docker-archive:FILE:REF` selects: a tagged name, or the n-th image (`@N`, as skopeo spells it). */
export type ArchiveImageRef = { tag: string } | { index: number };

export function parseArchiveManifest(bytes: Buffer, file: string): ArchiveManifestEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ArchiveError(file, `${ARCHIVE_MANIFEST_FILE} is not valid JSON`, { cause: err });
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new ArchiveError(file, `${ARCHIVE_MANIFEST_FILE} lists no images`);
  return raw.map((e: unknown, i) => {
    const entry = e as Partial<ArchiveManifestEntry> | null;
    const tags = entry?.RepoTags;
    if (
      !entry ||
      typeof entry.Config !== 'string' ||
      !Array.isArray(entry.Layers) ||
      !entry.Layers.every((l) => typeof l === 'string') ||
      !(tags === undefined || tags === null || (Array.isArray(tags) && tags.every((t) => typeof t === 'string')))
    ) {
      throw new ArchiveError(file, `${ARCHIVE_MANIFEST_FILE} entry ${i} needs a string "Config", a "Layers" list of strings and optional "RepoTags"`);
    }
    return { Config: entry.Config, RepoTags: tags ?? null, Layers: entry.Layers };
  });
}

/**
 * `name:tag` in the short form `docker save` writes to RepoTags (`alpine:latest`,
 * `ghcr.io/acme/app:v1`); a missing tag means `latest`. Digests are refused: an archive records tags only.
 */
export function normalizeRepoTag(input: string): string {
  const ref = parseReference(input);
  if (ref.digest !== undefined) throw new InvalidReferenceError(input, 'a docker archive records tags, not digests; give name:tag');
  return familiarReference(ref);
}

/** Picks the image `ref` names; with no ref, the archive's only image. Ambiguity lists the choices. */
export function selectArchiveImage(entries: ArchiveManifestEntry[], ref: ArchiveImageRef | undefined, file: string): ArchiveManifestEntry {
  const available = (): string =>
    entries.map((e, i) => (e.RepoTags?.length ? e.RepoTags.join(', ') : `@${i} (untagged)`)).join('; ');
  if (ref === undefined) {
    if (entries.length === 1) return entries[0]!;
    throw new ArchiveError(file, `archive holds ${entries.length} images; name one as docker-archive:${file}:NAME:TAG or :@N`, { hint: `available: ${available()}` });
  }
  if ('index' in ref) {
    const entry = entries[ref.index];
    if (!entry) throw new ArchiveError(file, `archive has no image @${ref.index}`, { hint: `available: ${available()}` });
    return entry;
  }
  const wanted = normalizeRepoTag(ref.tag);
  const entry = entries.find((e) => (e.RepoTags ?? []).some((t) => safeNormalize(t) === wanted));
  if (!entry) throw new ArchiveError(file, `archive has no image tagged ${wanted}`, { hint: `available: ${available()}` });
  return entry;
}

function safeNormalize(tag: string): string | undefined {
  try {
    return normalizeRepoTag(tag);
  } catch {
    return undefined;
  }
}

export interface DockerArchiveReference {
  file: string;
  ref?: ArchiveImageRef;
}

/** Splits `FILE[:REF]` (the part after `docker-archive:`; the prefix is tolerated) at the first colon, as skopeo does. */
export function parseDockerArchiveReference(spec: string): DockerArchiveReference {
  const body = spec.startsWith('docker-archive:') ? spec.slice('docker-archive:'.length) : spec;
  const colon = body.indexOf(':');
  const file = colon < 0 ? body : body.slice(0, colon);
  if (file.length === 0) throw new InvalidReferenceError(spec, 'docker archive reference has no file; use docker-archive:FILE[:NAME:TAG]');
  if (colon < 0) return { file };
  const rest = body.slice(colon + 1);
  if (/^@\d+$/.test(rest)) return { file, ref: { index: Number(rest.slice(1)) } };
  return { file, ref: { tag: normalizeRepoTag(rest) } };
}

/** A config's `rootfs.diff_ids`, validated as digests. */
export function readDiffIds(config: Buffer, name: string, file: string): Digest[] {
  let ids: unknown;
  try {
    ids = (JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids;
  } catch (err) {
    throw new ArchiveError(file, `config ${name} is not valid JSON`, { cause: err });
  }
  if (!Array.isArray(ids) || !ids.every((d): d is Digest => typeof d === 'string' && isDigest(d))) {
    throw new ArchiveError(file, `config ${name} has no valid rootfs.diff_ids list`);
  }
  return ids;
}
