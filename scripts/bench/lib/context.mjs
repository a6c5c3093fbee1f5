/**
 * What every case receives: options, the two tools, the source registry and fixtures, a scratch
 * directory, and helpers to record result lines and (optionally) CPU-profile ours.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runJob } from './alternate.mjs';
import { latestProfile, renderSummary, summarizeProfile } from './cpu-profile.mjs';
import { errorLine } from './report.mjs';

export function createContext({ opts, tools, source, fixtures, workDir, signal, log }) {
  let counter = 0;
  const ctx = {
    opts,
    tools,
    source,
    fixtures,
    workDir,
    signal,
    log,
    lines: [],
    profiles: [],
    nextId: () => String(++counter),
    /** Run one measurement; whatever it returns (a line or lines) is recorded, a throw becomes an ERROR line. */
    async line(caseName, image, measure) {
      try {
        const result = await measure();
        ctx.lines.push(...[result].flat());
      } catch (err) {
        if (signal.aborted) throw err;
        log(`  ${caseName} ${image}: ERROR ${err.message}`);
        ctx.lines.push(errorLine(caseName, image, err));
      }
    },
    /** With --cpu-prof: one extra, untimed run of ours under the V8 profiler, summarised. */
    async profile(name, contenders) {
      const ours = contenders.find((c) => c.key === 'ours');
      if (!opts.cpuProfDir || opts.selfCheck || !ours) return;
      const dir = join(opts.cpuProfDir, name);
      await mkdir(dir, { recursive: true });
      await runJob(ctx, 'ours (profiled)', await ours.prepare(`prof-${ctx.nextId()}`, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] }));
      const { file, profile } = await latestProfile(dir);
      const summary = summarizeProfile(profile);
      ctx.profiles.push({ name, file, ...summary });
      log(`  ${name}: ours CPU profile (${summary.totalMs.toFixed(0)} ms sampled) ${file}\n${renderSummary(summary)}`);
    },
  };
  return ctx;
}
