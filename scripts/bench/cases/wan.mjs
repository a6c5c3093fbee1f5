/**
 * Registry to registry over a WAN-like link (20 ms each way, 200 Mbit/s per TCP connection).
 * Default: the DESTINATION sits behind the shaper, the upload case (pushing to a cloud registry),
 * where every blob pays HEAD/POST/PATCH/PUT round trips and the per-connection cap makes the
 * number of blobs in flight decide the time. The shapers run in this process and cost ~0.5 s CPU
 * per 100 MB here, so shaping one side keeps the harness's share of 2 cores small;
 * --wan-side both (cloud to cloud) or src (the pull case) are there to look at the other sides.
 * Only the 8-layer image: a single 256 MiB layer is one connection at 25 MB/s for either tool,
 * ~11 s per run that says nothing about the engine.
 */
import { alternate } from '../lib/alternate.mjs';
import { toFreshRegistry } from '../lib/destinations.mjs';
import { timeLine } from '../lib/report.mjs';
import { startLinkShaper } from '../lib/testkit.mjs';

export const WAN_LINK = { delayMs: 20, bitsPerSecond: 200e6 };

export const wan = {
  name: 'wan',
  async run(ctx) {
    const image = ctx.fixtures.layered;
    const side = ctx.opts.wanSide;
    await ctx.line('wan', `${image.label} (${side})`, async () => {
      const shapeSource = side === 'both' || side === 'src';
      const srcShaper = shapeSource ? await startLinkShaper({ target: ctx.source, ...WAN_LINK }) : undefined;
      try {
        const spec = {
          src: `docker://${(srcShaper ?? ctx.source).host}/${image.repo}:${image.tag}`,
          image,
          ...(side === 'both' || side === 'dest' ? { shape: WAN_LINK } : {}),
        };
        const contenders = ctx.tools.map((tool) => toFreshRegistry(ctx, tool, spec));
        const samples = await alternate(ctx, `wan ${image.label}`, contenders);
        await ctx.profile(`wan-${image.key}`, contenders);
        return timeLine('wan', `${image.label} (${side})`, samples, 0.7, `link ${WAN_LINK.delayMs} ms each way, ${WAN_LINK.bitsPerSecond / 1e6} Mbit/s per connection, shaped side: ${side}`);
      } finally {
        await srcShaper?.stop();
      }
    });
  },
};
