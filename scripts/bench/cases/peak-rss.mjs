/**
 * Peak RSS of ours copying one big layer registry to registry: bounded memory means streaming, so
 * the figure must stay under 150 MiB and must not grow with the layer (256 MiB vs 1 GiB).
 */
import { alternate } from '../lib/alternate.mjs';
import { toFreshRegistry } from '../lib/destinations.mjs';
import { fmtBytes } from '../lib/format.mjs';
import { canMeasureRss } from '../lib/spawn-timed.mjs';

const MiB = 1024 * 1024;
const LIMIT = 150 * MiB;
// Allowed growth from the 256 MiB layer to the 1 GiB one: noise from GC timing, not a proportion.
const FLAT_SLACK = 20 * MiB;

export const peakRss = {
  name: 'rss',
  async run(ctx) {
    if (!canMeasureRss) {
      await ctx.line('rss', '-', async () => {
        throw new Error('GNU time is not at /usr/bin/time; install it with `apt-get install time`');
      });
      return;
    }
    const images = [ctx.fixtures.single];
    if (!ctx.opts.skipBig) {
      await ctx.line('rss', 'big layer fixture', async () => {
        images.push(await ctx.fixtures.big());
        return [];
      });
    }
    const peaks = [];
    for (const image of images) {
      await ctx.line('rss', image.label, async () => {
        const src = `docker://${ctx.source.host}/${image.repo}:${image.tag}`;
        const contenders = ctx.tools.map((tool) => toFreshRegistry(ctx, tool, { src, image }));
        const samples = await alternate(ctx, `rss ${image.label}`, contenders, { rounds: Math.min(ctx.opts.rounds, 2), warmup: 0 });
        const ours = Math.max(...samples.ours.rss);
        const skopeo = Math.max(...samples.skopeo.rss);
        peaks.push({ image, ours });
        return {
          case: 'rss',
          image: `${image.label} peak RSS`,
          metric: 'rss',
          ours: fmtBytes(ours),
          skopeo: fmtBytes(skopeo),
          ratio: '-',
          target: `< ${fmtBytes(LIMIT)}`,
          pass: ours < LIMIT,
          values: { ours, skopeo, limit: LIMIT },
          samples,
        };
      });
    }
    const [small, big] = peaks;
    if (small && big) {
      const growth = big.ours - small.ours;
      ctx.lines.push({
        case: 'rss',
        image: `${small.image.label} -> ${big.image.label}`,
        metric: 'rss',
        ours: `${growth < 0 ? '-' : '+'}${fmtBytes(Math.abs(growth))}`,
        skopeo: '-',
        ratio: '-',
        target: `<= +${fmtBytes(FLAT_SLACK)}`,
        pass: growth <= FLAT_SLACK,
        note: 'peak RSS growth with layer size; flat means streaming',
        values: { growth, slack: FLAT_SLACK },
      });
    }
  },
};
