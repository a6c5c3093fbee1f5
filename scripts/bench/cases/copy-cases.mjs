/**
 * The three plain copy races on loopback: registry to registry, pull into an OCI layout, push from
 * an OCI layout. Each image is its own line with the target ratio.
 */
import { alternate } from '../lib/alternate.mjs';
import { toFreshLayout, toFreshRegistry } from '../lib/destinations.mjs';
import { timeLine } from '../lib/report.mjs';

function sourceRef(ctx, image) {
  return `docker://${ctx.source.host}/${image.repo}:${image.tag}`;
}

function copyCase(name, maxRatio, contendersFor) {
  return {
    name,
    async run(ctx) {
      for (const image of ctx.fixtures.timed) {
        await ctx.line(name, image.label, async () => {
          const contenders = ctx.tools.map((tool) => contendersFor(ctx, tool, image));
          const samples = await alternate(ctx, `${name} ${image.label}`, contenders);
          await ctx.profile(`${name}-${image.key}`, contenders);
          return timeLine(name, image.label, samples, maxRatio);
        });
      }
    },
  };
}

export const regToReg = copyCase('reg-to-reg', 0.95, (ctx, tool, image) => toFreshRegistry(ctx, tool, { src: sourceRef(ctx, image), image }));

export const pullOci = copyCase('pull-oci', 0.6, (ctx, tool, image) => toFreshLayout(ctx, tool, { src: sourceRef(ctx, image), image }));

export const pushOci = copyCase('push-oci', 0.95, (ctx, tool, image) =>
  toFreshRegistry(ctx, tool, { src: `oci:${image.layoutDir}:${image.layoutTag}`, image }),
);
