/**
 * The timing loop: contenders take turns, and the one that starts rotates every round, so neither
 * tool always runs on a warmer page cache or right after the other's registry teardown.
 */
import { join } from 'node:path';
import { runTimed } from './spawn-timed.mjs';
import { fmtSeconds } from './format.mjs';

/**
 * @typedef {{ argv: string[], check?: () => Promise<unknown>, cleanup?: () => Promise<void> }} Job
 * @typedef {{ key: string, prepare: (runId: string, o?: { nodeArgs?: string[] }) => Promise<Job> }} Contender
 * @returns {Promise<Record<string, { seconds: number[], rss: number[], cpu: number[], checked: unknown[] }>>}
 *   `checked` holds what each job's check() returned (e.g. bytes counted at a proxy).
 */
export async function alternate(ctx, name, contenders, { rounds = ctx.opts.rounds, warmup = ctx.opts.warmup } = {}) {
  const samples = Object.fromEntries(contenders.map((c) => [c.key, { seconds: [], rss: [], cpu: [], checked: [] }]));
  for (let r = 0; r < warmup + rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    const parts = [];
    for (const c of order) {
      const res = await runJob(ctx, c.key, await c.prepare(`${c.key}-${ctx.nextId()}`));
      parts.push(`${c.key} ${fmtSeconds(res.seconds)}`);
      if (r < warmup) continue;
      samples[c.key].seconds.push(res.seconds);
      if (res.rssBytes !== undefined) samples[c.key].rss.push(res.rssBytes);
      if (res.cpuSeconds !== undefined) samples[c.key].cpu.push(res.cpuSeconds);
      samples[c.key].checked.push(res.checked);
    }
    const tag = r < warmup ? `warm-up ${r + 1}/${warmup}` : `round ${r - warmup + 1}/${rounds}`;
    ctx.log(`  ${name} ${tag}: ${parts.join(', ')}`);
  }
  return samples;
}

/** Run one prepared job, check its result outside the clock, and always clean up its destination. */
export async function runJob(ctx, label, job) {
  try {
    const res = await runTimed(job.argv, { label, timeoutMs: ctx.opts.timeoutMs, signal: ctx.signal, rssFile: join(ctx.workDir, `rss-${ctx.nextId()}.txt`) });
    const checked = job.check ? await job.check() : undefined;
    return { ...res, checked };
  } finally {
    await job.cleanup?.();
  }
}
