/**
 * The images every case copies: built once as OCI layouts (kept for the push case) and pushed once
 * into the source registry with --preserve-digests, so digests are known up front.
 */
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { buildOciLayout, pushWithSkopeo } from './testkit.mjs';
import { fmtSizeLabel } from './format.mjs';

export const LAYOUT_TAG = 'bench';
export const SOURCE_TAG = 'v1';

function describe(key, label, repo, layoutDir, build) {
  const image = build.images[0];
  const blobs = [{ digest: image.configDigest, size: image.configSize }, ...image.layers.map((l) => ({ digest: l.digest, size: l.size }))];
  return {
    key,
    label,
    repo,
    tag: SOURCE_TAG,
    layoutDir,
    layoutTag: LAYOUT_TAG,
    digest: build.digest,
    size: build.size,
    blobs,
    layerDigests: new Set(image.layers.map((l) => l.digest)),
    layerBytes: image.layers.reduce((n, l) => n + l.size, 0),
  };
}

async function buildAndPush({ workDir, source, key, repo, layers, layerSize, keepLayout, log }) {
  const label = fmtSizeLabel(layers, layerSize);
  const layoutDir = join(workDir, 'layouts', key);
  const t0 = performance.now();
  const build = await buildOciLayout(layoutDir, { layers, layerSize, compress: 'gzip', tag: LAYOUT_TAG });
  await pushWithSkopeo(layoutDir, source, `${repo}:${SOURCE_TAG}`, { layoutRef: LAYOUT_TAG });
  log(`fixture ${label} built and pushed to ${source.host}/${repo}:${SOURCE_TAG} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const described = describe(key, label, repo, keepLayout ? layoutDir : undefined, build);
  if (!keepLayout) await rm(layoutDir, { recursive: true, force: true });
  return described;
}

/**
 * `layered` and `single` are built eagerly (almost every case needs them); the big layer only when
 * the peak-RSS case asks, and its layout is deleted after the push to spare the disk.
 */
export async function prepareFixtures({ workDir, source, sizes, log }) {
  const layered = await buildAndPush({ workDir, source, key: 'layered', repo: 'bench/layered', layers: sizes.layers, layerSize: sizes.layerSize, keepLayout: true, log });
  const single = await buildAndPush({ workDir, source, key: 'single', repo: 'bench/single', layers: 1, layerSize: sizes.singleSize, keepLayout: true, log });
  let big;
  return {
    layered,
    single,
    /** Both timed images, the 8-layer one first. */
    timed: [layered, single],
    big: () => (big ??= buildAndPush({ workDir, source, key: 'big', repo: 'bench/big', layers: 1, layerSize: sizes.bigSize, keepLayout: false, log })),
  };
}
