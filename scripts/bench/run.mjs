#!/usr/bin/env node
/**
 * `pnpm bench`: our `copy` against `skopeo copy` on real local registries. See README.md here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, USAGE } from './lib/options.mjs';
import { oursTool, oursUnavailable, skopeoTool, toolVersions } from './lib/tools.mjs';
import { startRegistry, stopAll } from './lib/testkit.mjs';
import { prepareFixtures } from './lib/fixtures.mjs';
import { createContext } from './lib/context.mjs';
import { renderTable, writeJsonReport } from './lib/report.mjs';
import { canMeasureRss } from './lib/spawn-timed.mjs';
import { pullOci, pushOci, regToReg } from './cases/copy-cases.mjs';
import { wan } from './cases/wan.mjs';
import { rerun } from './cases/rerun.mjs';
import { mount } from './cases/mount.mjs';
import { peakRss } from './cases/peak-rss.mjs';

const CASES = [regToReg, pullOci, pushOci, wan, rerun, mount, peakRss];

function log(line) {
  process.stderr.write(`${line}\n`);
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    log(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!opts.selfCheck) {
    const why = oursUnavailable();
    if (why) {
      log(why);
      return 1;
    }
  }
  const tools = [opts.selfCheck ? skopeoTool('ours') : oursTool(opts.oursArgs), skopeoTool()];
  const versions = toolVersions();
  const abort = new AbortController();
  // Ctrl-C: kill the running copy, then fall through to the same cleanup as a normal end.
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const started = performance.now();
  const workDir = await mkdtemp(join(tmpdir(), 'nextdeploy-bench-'));
  const header = [
    `nextdeploy bench: node ${versions.node}, ${versions.skopeo}, ours ${opts.selfCheck ? '= skopeo (--self-check)' : `${versions.ours}${opts.oursArgs.length ? ` ${opts.oursArgs.join(' ')}` : ''}`}`,
    `${cpus().length} cores, load average ${loadavg()[0].toFixed(2)} at start; ${opts.rounds} timed rounds + ${opts.warmup} warm-up per line, alternating, fresh destination per run; medians`,
    'skopeo copies 6 blobs at a time; both tools keep digests (skopeo --preserve-digests)',
  ];
  if (!canMeasureRss) header.push('GNU time not found: no RSS figures (apt-get install time)');
  log(header.join('\n'));
  let ctx;
  try {
    const source = await startRegistry();
    const fixtures = await prepareFixtures({ workDir, source, sizes: opts.sizes, log });
    ctx = createContext({ opts, tools, source, fixtures, workDir, signal: abort.signal, log });
    for (const c of CASES) {
      if (abort.signal.aborted) break;
      if (!opts.cases.includes(c.name)) continue;
      log(`case ${c.name}`);
      await c.run(ctx);
    }
  } catch (err) {
    log(abort.signal.aborted ? 'interrupted; stopping registries and removing temp files' : `bench failed: ${err.message}`);
  } finally {
    await stopAll().catch((err) => log(`cleanup: ${err.message}`));
    await rm(workDir, { recursive: true, force: true });
  }
  const lines = ctx?.lines ?? [];
  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(`\n${header.join('\n')}\n\n${renderTable(lines)}\n\ntotal ${elapsed.toFixed(0)} s, load average ${loadavg()[0].toFixed(2)} at the end\n`);
  if (opts.jsonFile) {
    await writeJsonReport(opts.jsonFile, { versions, options: { ...opts, sizes: opts.sizes }, elapsedSeconds: elapsed, profiles: ctx?.profiles ?? [] }, lines);
    log(`wrote ${opts.jsonFile}`);
  }
  if (abort.signal.aborted) return 130;
  return lines.length > 0 && lines.every((l) => l.metric !== 'error') ? 0 : 1;
}

process.exitCode = await main();
