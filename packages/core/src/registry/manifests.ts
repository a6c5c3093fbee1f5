import { DigestMismatchError, ManifestError, type RegistryErrorDetail } from '../errors/index.js';
import { computeDigest, digestAlgorithm, isDigest, verifyDigest, type Digest } from '../digest/index.js';
import { ACCEPT_ALL_MANIFESTS, baseMediaType, parseManifest, type ManifestMediaType } from '../manifest/index.js';
import type { Manifest } from '../manifest/types.js';
import { apiPath, describeRef, scopes, type CallOptions, type ClientContext } from './context.js';
import { contentLength, expectStatus, readBounded, type HintFor } from './response.js';

/** Registries commonly cap manifests at 4 MiB; anything larger is refused before it is buffered. */
export const MANIFEST_SIZE_LIMIT = 4 * 1024 * 1024;

export interface FetchedManifest {
  digest: Digest;
  mediaType: ManifestMediaType;
  size: number;
  bytes: Buffer;
  manifest: Manifest;
}

export interface ManifestHead {
  digest: Digest;
  mediaType: string | undefined;
  size: number | undefined;
}

/**
 * Fetches and validates a manifest. A digest reference is checked against the bytes; for a tag the
 * bytes' sha256 is compared with Docker-Content-Digest when the registry sends one, so a proxy
 * cannot swap content behind a tag without notice.
 */
export async function getManifest(ctx: ClientContext, repo: string, ref: string, options: CallOptions = {}): Promise<FetchedManifest> {
  const what = `manifest ${describeRef(ctx, repo, ref)}`;
  const res = await requestManifest(ctx, 'GET', repo, ref, options);
  await expectStatus(res, [200], 'GET', what);

  const tooLarge = (): never => {
    throw new ManifestError(`${what} is larger than ${MANIFEST_SIZE_LIMIT} bytes; refusing to read it`);
  };
  if ((contentLength(res) ?? 0) > MANIFEST_SIZE_LIMIT) {
    await res.dump();
    tooLarge();
  }
  const bytes = await readBounded(res.body, MANIFEST_SIZE_LIMIT, tooLarge);

  const digest = checkManifestDigest(what, ref, bytes, res.headers.get('docker-content-digest'));
  const { mediaType, manifest } = parseWithContext(what, bytes, res.headers.get('content-type'));
  return { digest, mediaType, size: bytes.length, bytes, manifest };
}

/** The manifest request both GET and HEAD make: every manifest type accepted, pull scope. */
function requestManifest(ctx: ClientContext, method: 'GET' | 'HEAD', repo: string, ref: string, options: CallOptions) {
  return ctx.transport.request({
    method,
    url: apiPath(repo, 'manifests', ref),
    headers: { accept: ACCEPT_ALL_MANIFESTS },
    scopes: scopes.pull(repo),
    signal: options.signal,
  });
}

/** Digest, media type and size without the body; `undefined` when the manifest does not exist. */
export async function headManifest(ctx: ClientContext, repo: string, ref: string, options: CallOptions = {}): Promise<ManifestHead | undefined> {
  const what = `manifest ${describeRef(ctx, repo, ref)}`;
  const res = await requestManifest(ctx, 'HEAD', repo, ref, options);
  if (res.status === 404) {
    await res.dump();
    return undefined;
  }
  await expectStatus(res, [200], 'HEAD', what);
  await res.dump();
  const header = res.headers.get('docker-content-digest');
  // Without the header the digest is unknowable from a HEAD (the spec makes it optional), so fetch.
  if (!header || !isDigest(header)) {
    const full = await getManifest(ctx, repo, ref, options);
    return { digest: full.digest, mediaType: full.mediaType, size: full.size };
  }
  if (isDigest(ref) && header !== ref) throw new DigestMismatchError(what, ref, header);
  return { digest: header, mediaType: baseMediaType(res.headers.get('content-type')), size: contentLength(res) };
}

/** Uploads a manifest under a tag or its digest and returns its digest. Blobs it names must exist first. */
export async function putManifest(
  ctx: ClientContext,
  repo: string,
  ref: string,
  bytes: Uint8Array,
  mediaType: string,
  options: CallOptions = {},
): Promise<Digest> {
  const what = `manifest ${describeRef(ctx, repo, ref)}`;
  const digest = isDigest(ref) ? ref : computeDigest(bytes);
  // Refusing locally gives a clearer error than the registry's DIGEST_INVALID.
  if (isDigest(ref)) verifyDigest(what, bytes, ref);
  const res = await ctx.transport.request({
    method: 'PUT',
    url: apiPath(repo, 'manifests', ref),
    headers: { 'content-type': mediaType },
    body: bytes,
    scopes: scopes.push(repo),
    signal: options.signal,
  });
  await expectStatus(res, [200, 201, 204], 'PUT', what, manifestPutHint(res.status));
  await res.dump();
  return digest;
}

/** Deletes a manifest (and so every tag pointing at it). */
export async function deleteManifest(ctx: ClientContext, repo: string, digest: Digest, options: CallOptions = {}): Promise<void> {
  await deleteManifestRef(ctx, repo, digest, options);
}

/**
 * Removes one tag, leaving the manifest. Only registries implementing OCI distribution 1.1 tag
 * deletion allow it; others answer 400/405 UNSUPPORTED, which is reported with the alternative.
 */
export async function deleteTag(ctx: ClientContext, repo: string, tag: string, options: CallOptions = {}): Promise<void> {
  if (isDigest(tag)) throw new ManifestError(`deleteTag needs a tag, got digest ${tag}; use deleteManifest`);
  await deleteManifestRef(ctx, repo, tag, options, (status, errors) =>
    // distribution before 3.0 parses the tag as a digest and answers 400 DIGEST_INVALID
    status === 405 || errors.some((e) => e.code === 'UNSUPPORTED' || e.code === 'DIGEST_INVALID')
      ? 'this registry cannot delete a tag alone; delete the manifest by digest instead (removes all its tags)'
      : undefined,
  );
}

async function deleteManifestRef(ctx: ClientContext, repo: string, ref: string, options: CallOptions, hint?: HintFor): Promise<void> {
  const what = `manifest ${describeRef(ctx, repo, ref)}`;
  const res = await ctx.transport.request({
    method: 'DELETE',
    url: apiPath(repo, 'manifests', ref),
    scopes: [...scopes.pull(repo), ...scopes.delete(repo)],
    signal: options.signal,
  });
  await expectStatus(res, [200, 202, 204], 'DELETE', what, hint ?? deletionDisabledHint);
  await res.dump();
}

function deletionDisabledHint(status: number, errors: RegistryErrorDetail[]): string | undefined {
  return status === 405 || errors.some((e) => e.code === 'UNSUPPORTED')
    ? 'deletion is disabled on this registry; enable it (distribution: storage.delete.enabled) or ask its operator'
    : undefined;
}

function manifestPutHint(status: number): string | undefined {
  return status === 400 ? 'the registry rejected the manifest; push every blob it references first and check its media type' : undefined;
}

function checkManifestDigest(what: string, ref: string, bytes: Buffer, header: string | null): Digest {
  if (isDigest(ref)) {
    verifyDigest(what, bytes, ref);
    return ref;
  }
  if (header && isDigest(header)) {
    const actual = computeDigest(bytes, digestAlgorithm(header));
    if (actual !== header) throw new DigestMismatchError(`${what} (Docker-Content-Digest)`, header, actual);
    return header;
  }
  return computeDigest(bytes);
}

function parseWithContext(what: string, bytes: Buffer, contentType: string | null): ReturnType<typeof parseManifest> {
  try {
    return parseManifest(bytes, contentType);
  } catch (err) {
    if (err instanceof ManifestError) throw new ManifestError(`${what}: ${err.message}`, { cause: err });
    throw err;
  }
}
