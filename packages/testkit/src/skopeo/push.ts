import { buildOciLayout } from '../oci/build-layout.js';
import type { BuildOciLayoutOptions, OciLayoutBuild } from '../oci/types.js';
import { makeTempDir, removeDir } from '../lifecycle/temp-dir.js';
import type { TestRegistry } from '../registry/types.js';
import { skopeoCreds, skopeoOk, type SkopeoResult } from './skopeo.js';

export interface PushOptions {
  /** Which registry user pushes; default the first user. `null` = anonymous. */
  user?: string | null;
  /** Tag inside the layout to copy (`oci:DIR:REF`); default: the layout's only image. */
  layoutRef?: string;
  signal?: AbortSignal;
}

/**
 * `skopeo copy --all --preserve-digests oci:DIR[:REF] docker://HOST/repo:tag`, so the registry
 * holds exactly the digests the fixture builder reported (no recompression).
 */
export function pushWithSkopeo(layoutDir: string, registry: TestRegistry, repoAndTag: string, opts: PushOptions = {}): Promise<SkopeoResult> {
  const source = opts.layoutRef ? `oci:${layoutDir}:${opts.layoutRef}` : `oci:${layoutDir}`;
  return skopeoOk(
    [
      'copy', '--quiet', '--all', '--preserve-digests',
      ...skopeoCreds(registry, { side: 'dest', user: opts.user }),
      source,
      `docker://${registry.host}/${repoAndTag}`,
    ],
    opts.signal ? { signal: opts.signal } : {},
  );
}

export interface PushedImage extends OciLayoutBuild {
  /** `HOST/repo:tag` as pushed. */
  reference: string;
}

/** Build a random image in a temp layout, push it, delete the layout. `dir` no longer exists afterwards. */
export async function pushRandomImage(
  registry: TestRegistry,
  repoAndTag: string,
  opts: BuildOciLayoutOptions & PushOptions = {},
): Promise<PushedImage> {
  const dir = await makeTempDir('layout');
  try {
    const build = await buildOciLayout(dir, opts);
    await pushWithSkopeo(dir, registry, repoAndTag, { user: opts.user, layoutRef: build.tag, ...(opts.signal ? { signal: opts.signal } : {}) });
    return { ...build, reference: `${registry.host}/${repoAndTag}` };
  } finally {
    await removeDir(dir);
  }
}
