/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`) into the functions that burned the most
 * self time, so a benchmark run points at what to optimise without opening DevTools.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

function where(frame) {
  if (!frame.url) return '';
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 14) : url.replace(/^.*\/packages\//, 'packages/');
  return `${short}:${frame.lineNumber + 1}`;
}

/** Which package a frame belongs to: a dependency, one of ours, node itself, or V8's pseudo-frames. */
function origin(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const dep = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1];
  const own = /\/packages\/([^/]+)\//.exec(url);
  return own ? `packages/${own[1]}` : url;
}

function ranked(map, totalMs, limit) {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, ms]) => ({ key, ms, pct: (ms / totalMs) * 100 }));
}

/**
 * @returns {{ totalMs: number, top: { name: string, where: string, ms: number, pct: number }[],
 *   byOrigin: { origin: string, ms: number, pct: number }[] }}
 */
export function summarizeProfile(profile, limit = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map();
  const originMs = new Map();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const frame = byId.get(id)?.callFrame ?? { functionName: '?', url: '' };
    const key = `${frame.functionName || '(anonymous)'}\t${where(frame)}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
    const o = origin(frame);
    originMs.set(o, (originMs.get(o) ?? 0) + ms);
  });
  const top = ranked(selfMs, totalMs, limit).map(({ key, ms, pct }) => {
    const [name, loc] = key.split('\t');
    return { name, where: loc, ms, pct };
  });
  const byOrigin = ranked(originMs, totalMs, 8).map(({ key, ms, pct }) => ({ origin: key, ms, pct }));
  return { totalMs, top, byOrigin };
}

/** The newest profile node wrote into `dir`. */
export async function latestProfile(dir) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const last = files.at(-1);
  if (!last) throw new Error(`no .cpuprofile was written to ${dir}; does ours run under plain node?`);
  return { file: join(dir, last), profile: JSON.parse(await readFile(join(dir, last), 'utf8')) };
}

export function renderSummary(summary) {
  const origins = summary.byOrigin.map((o) => `${o.origin} ${o.pct.toFixed(0)}%`).join(', ');
  const rows = summary.top.map((t) => `    ${t.pct.toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}  ${t.where}`);
  return [`    self time by origin: ${origins}`, ...rows].join('\n');
}
