/**
 * Jobs that copy into a FRESH destination (a new registry, or a new layout directory) and verify
 * and remove it afterwards, so no run benefits from blobs an earlier run left behind.
 */
import { join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { startLinkShaper, startRegistry } from './testkit.mjs';
import { expectLayoutImage, expectRegistryImage } from './verify.mjs';

export const DEST_TAG = 'v1';

/**
 * @param {{ src: string, image: object, shape?: { delayMs: number, bitsPerSecond: number } }} spec
 *   src is a full transport string (`docker://HOST/REPO:TAG`, maybe through a shaper, or `oci:DIR:TAG`);
 *   shape puts a fresh WAN shaper in front of each fresh destination registry.
 */
export function toFreshRegistry(ctx, tool, spec) {
  return {
    key: tool.key,
    async prepare(runId, o = {}) {
      const reg = await startRegistry();
      const shaper = spec.shape ? await startLinkShaper({ target: reg, ...spec.shape }) : undefined;
      // The run id in the repository name keeps skopeo's persistent blob-info cache from "knowing"
      // blobs at a recycled port from an earlier run.
      const repo = `bench/${runId}`;
      return {
        argv: tool.copyArgv(spec.src, `docker://${(shaper ?? reg).host}/${repo}:${DEST_TAG}`, o),
        check: () => expectRegistryImage(reg.url, repo, DEST_TAG, spec.image.digest, `${tool.label} ${runId}`),
        async cleanup() {
          await shaper?.stop();
          await reg.stop();
        },
      };
    },
  };
}

export function toFreshLayout(ctx, tool, spec) {
  return {
    key: tool.key,
    async prepare(runId, o = {}) {
      // The parent must exist (skopeo refuses otherwise); the layout directory itself must not.
      await mkdir(join(ctx.workDir, 'out'), { recursive: true });
      const dir = join(ctx.workDir, 'out', runId);
      return {
        argv: tool.copyArgv(spec.src, `oci:${dir}:${DEST_TAG}`, o),
        check: () => expectLayoutImage(dir, DEST_TAG, spec.image, `${tool.label} ${runId}`),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  };
}
