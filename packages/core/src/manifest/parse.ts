import { ManifestError } from '../errors/index.js';
import { isDigest } from '../digest/index.js';
import {
  MediaType,
  baseMediaType,
  isIndexMediaType,
  isManifestMediaType,
  isSchema1MediaType,
  type ManifestMediaType,
} from './media-types.js';
import type { Descriptor, ImageIndex, ImageManifest, Manifest, ParsedManifest, Platform } from './types.js';

const SCHEMA1_HINT = 'schema 1 manifests are deprecated and not supported; re-push the image with a current docker, buildah or skopeo';

/**
 * Parses and validates manifest bytes. The media type comes from the body's `mediaType`, else from
 * a specific Content-Type, else from the shape (an index has `manifests`, an image has `config`),
 * because some registries and OCI layouts serve manifests as `application/json` or nothing at all.
 */
export function parseManifest(bytes: Uint8Array | string, contentType?: string | null): ParsedManifest {
  const header = baseMediaType(contentType);
  if (header && isSchema1MediaType(header)) throw new ManifestError(`manifest has media type ${header}: ${SCHEMA1_HINT}`);

  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw new ManifestError(`manifest is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isObject(raw)) throw new ManifestError('manifest is not a JSON object');
  if (raw.schemaVersion === 1) throw new ManifestError(`manifest is schema version 1: ${SCHEMA1_HINT}`);
  if (raw.schemaVersion !== 2) throw new ManifestError(`manifest schemaVersion is ${JSON.stringify(raw.schemaVersion)}, expected 2`);

  const declared = raw.mediaType;
  if (declared !== undefined && typeof declared !== 'string') throw new ManifestError('manifest mediaType is not a string');
  if (declared !== undefined && isSchema1MediaType(declared)) throw new ManifestError(`manifest declares ${declared}: ${SCHEMA1_HINT}`);
  if (declared !== undefined && header && isManifestMediaType(header) && declared !== header) {
    throw new ManifestError(`manifest declares mediaType ${declared} but was served as ${header}`);
  }

  const mediaType = declared ?? (header && isManifestMediaType(header) ? header : detectByShape(raw));
  if (!isManifestMediaType(mediaType)) {
    throw new ManifestError(`unsupported manifest media type ${mediaType}; expected an OCI or Docker v2 manifest or index`);
  }
  const manifest = isIndexMediaType(mediaType) ? validateIndex(raw) : validateImage(raw);
  return { mediaType, manifest };
}

export function isIndex(manifest: Manifest): manifest is ImageIndex {
  return Array.isArray((manifest as Partial<ImageIndex>).manifests);
}

/** What a manifest points at: an index's manifests, or an image's config followed by its layers. */
export function manifestChildren(manifest: Manifest): Descriptor[] {
  return isIndex(manifest) ? manifest.manifests : [manifest.config, ...manifest.layers];
}

/** The blobs an image manifest needs in the same repository (config + layers); none for an index. */
export function manifestBlobs(manifest: Manifest): Descriptor[] {
  return isIndex(manifest) ? [] : [manifest.config, ...manifest.layers];
}

function detectByShape(raw: Record<string, unknown>): ManifestMediaType {
  if (Array.isArray(raw.manifests)) return MediaType.OciIndex;
  if (isObject(raw.config)) {
    return raw.config.mediaType === MediaType.DockerConfig ? MediaType.DockerManifest : MediaType.OciManifest;
  }
  throw new ManifestError('manifest has neither "manifests" (index) nor "config" (image); cannot tell what it is');
}

function validateImage(raw: Record<string, unknown>): ImageManifest {
  if (raw.manifests !== undefined) throw new ManifestError('image manifest must not contain "manifests"');
  if (!isObject(raw.config)) throw new ManifestError('image manifest has no "config" descriptor');
  if (!Array.isArray(raw.layers)) throw new ManifestError('image manifest has no "layers" array');
  validateDescriptor(raw.config, 'config');
  raw.layers.forEach((d, i) => validateDescriptor(d, `layers[${i}]`));
  validateCommon(raw);
  return raw as unknown as ImageManifest;
}

function validateIndex(raw: Record<string, unknown>): ImageIndex {
  if (raw.config !== undefined || raw.layers !== undefined) throw new ManifestError('image index must not contain "config" or "layers"');
  if (!Array.isArray(raw.manifests)) throw new ManifestError('image index has no "manifests" array');
  raw.manifests.forEach((d, i) => validateDescriptor(d, `manifests[${i}]`));
  validateCommon(raw);
  return raw as unknown as ImageIndex;
}

function validateCommon(raw: Record<string, unknown>): void {
  if (raw.subject !== undefined) validateDescriptor(raw.subject, 'subject');
  if (raw.annotations !== undefined) validateStringMap(raw.annotations, 'annotations');
  if (raw.artifactType !== undefined && typeof raw.artifactType !== 'string') throw new ManifestError('manifest artifactType is not a string');
}

/** Checks one descriptor; `where` names it in errors, e.g. `layers[2]`. */
export function validateDescriptor(value: unknown, where: string): asserts value is Descriptor {
  if (!isObject(value)) throw new ManifestError(`manifest ${where} is not an object`);
  if (typeof value.mediaType !== 'string' || value.mediaType.length === 0) throw new ManifestError(`manifest ${where} has no mediaType`);
  if (typeof value.digest !== 'string' || !isDigest(value.digest)) {
    throw new ManifestError(`manifest ${where} has an invalid digest ${JSON.stringify(value.digest)}`);
  }
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) {
    throw new ManifestError(`manifest ${where} has an invalid size ${JSON.stringify(value.size)}`);
  }
  if (value.urls !== undefined && !(Array.isArray(value.urls) && value.urls.every((u) => typeof u === 'string'))) {
    throw new ManifestError(`manifest ${where}.urls is not a list of strings`);
  }
  if (value.annotations !== undefined) validateStringMap(value.annotations, `${where}.annotations`);
  if (value.platform !== undefined) validatePlatform(value.platform, `${where}.platform`);
}

function validatePlatform(value: unknown, where: string): asserts value is Platform {
  if (!isObject(value) || typeof value.os !== 'string' || typeof value.architecture !== 'string') {
    throw new ManifestError(`manifest ${where} needs string "os" and "architecture"`);
  }
  if (value.variant !== undefined && typeof value.variant !== 'string') throw new ManifestError(`manifest ${where}.variant is not a string`);
}

function validateStringMap(value: unknown, where: string): void {
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new ManifestError(`manifest ${where} must map strings to strings`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
