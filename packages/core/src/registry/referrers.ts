import { ManifestError, RegistryError } from '../errors/index.js';
import { digestAlgorithm, digestHex, type Digest } from '../digest/index.js';
import { MediaType, isIndex, parseManifest, type Descriptor, type Manifest } from '../manifest/index.js';
import { apiPath, describeRef, scopes, type CallOptions, type ClientContext } from './context.js';
import { getManifest, MANIFEST_SIZE_LIMIT } from './manifests.js';
import { expectStatus, readBounded } from './response.js';

export interface ReferrersOptions extends CallOptions {
  /** Only referrers of this artifact type (signatures, SBOMs…). */
  artifactType?: string;
}

/**
 * Manifests whose `subject` is `digest`: from the referrers API where the registry has it, else
 * from the `<alg>-<hex>` tag that pre-1.1 clients maintain as an index of referrers.
 */
export async function listReferrers(ctx: ClientContext, repo: string, digest: Digest, options: ReferrersOptions = {}): Promise<Descriptor[]> {
  const what = `referrers of ${describeRef(ctx, repo, digest)}`;
  const query = options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : '';
  const res = await ctx.transport.request({
    method: 'GET',
    url: `${apiPath(repo, 'referrers', digest)}${query}`,
    headers: { accept: MediaType.OciIndex },
    scopes: scopes.pull(repo),
    signal: options.signal,
  });
  if (res.status === 404) {
    await res.dump();
    return filterByType(await fallbackTagIndex(ctx, repo, digest, options), options.artifactType, false);
  }
  await expectStatus(res, [200], 'GET', what);
  const bytes = await readBounded(res.body, MANIFEST_SIZE_LIMIT, () => {
    throw new ManifestError(`${what}: response is larger than ${MANIFEST_SIZE_LIMIT} bytes`);
  });
  const applied = (res.headers.get('oci-filters-applied') ?? '').split(',').map((s) => s.trim());
  return filterByType(indexEntries(what, parseManifest(bytes, res.headers.get('content-type')).manifest), options.artifactType, applied.includes('artifactType'));
}

async function fallbackTagIndex(ctx: ClientContext, repo: string, digest: Digest, options: CallOptions): Promise<Descriptor[]> {
  const tag = `${digestAlgorithm(digest)}-${digestHex(digest)}`;
  try {
    const { manifest } = await getManifest(ctx, repo, tag, options);
    return indexEntries(`referrers tag ${describeRef(ctx, repo, tag)}`, manifest);
  } catch (err) {
    if (err instanceof RegistryError && err.status === 404) return [];
    throw err;
  }
}

function indexEntries(what: string, manifest: Manifest): Descriptor[] {
  if (!isIndex(manifest)) throw new ManifestError(`${what} is an image manifest, expected an index of referrers`);
  return manifest.manifests;
}

function filterByType(entries: Descriptor[], artifactType: string | undefined, alreadyFiltered: boolean): Descriptor[] {
  return artifactType && !alreadyFiltered ? entries.filter((d) => d.artifactType === artifactType) : entries;
}
