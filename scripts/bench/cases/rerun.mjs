/**
 * Rerun when the destination already holds everything: only manifests and HEADs travel, so this
 * measures start-up plus round trips. Target: ours <= skopeo's rerun + node's bare start-up.
 */
import { alternate } from '../lib/alternate.mjs';
import { DEST_TAG } from '../lib/destinations.mjs';
import { fmtSeconds, median } from '../lib/format.mjs';
import { skopeoOk, startRegistry } from '../lib/testkit.mjs';
import { expectRegistryImage } from '../lib/verify.mjs';

export const rerun = {
  name: 'rerun',
  async run(ctx) {
    const image = ctx.fixtures.layered;
    await ctx.line('rerun', image.label, async () => {
      const dest = await startRegistry();
      try {
        const src = `docker://${ctx.source.host}/${image.repo}:${image.tag}`;
        const dst = `docker://${dest.host}/bench/rerun:${DEST_TAG}`;
        await skopeoOk(['copy', '--quiet', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', src, dst]);
        const check = () => expectRegistryImage(dest.url, 'bench/rerun', DEST_TAG, image.digest, 'rerun');
        const contenders = [
          ...ctx.tools.map((tool) => ({ key: tool.key, prepare: async (_id, o) => ({ argv: tool.copyArgv(src, dst, o), check }) })),
          { key: 'node', prepare: async () => ({ argv: [process.execPath, '-e', '0'] }) },
        ];
        const samples = await alternate(ctx, `rerun ${image.label}`, contenders);
        await ctx.profile(`rerun-${image.key}`, contenders);
        const ours = median(samples.ours.seconds);
        const skopeo = median(samples.skopeo.seconds);
        const node = median(samples.node.seconds);
        const ratio = ours / (skopeo + node);
        return {
          case: 'rerun',
          image: image.label,
          metric: 'time',
          ours: fmtSeconds(ours),
          skopeo: `${fmtSeconds(skopeo)} + node ${fmtSeconds(node)}`,
          ratio: ratio.toFixed(2),
          target: '<= 1.00',
          pass: ratio <= 1,
          note: 'ratio = ours / (skopeo rerun + `node -e 0`)',
          values: { ours, skopeo, node, ratio, maxRatio: 1 },
          samples,
        };
      } finally {
        await dest.stop();
      }
    });
  },
};
