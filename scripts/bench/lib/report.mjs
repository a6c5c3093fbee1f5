/**
 * Result lines and the final table. A line is one comparison with its own target and verdict;
 * errors become lines too, so one broken case does not hide the others.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fmtSeconds, median } from './format.mjs';

/** ours/skopeo on median wall time; PASS when the ratio is at most `maxRatio`. */
export function timeLine(caseName, image, samples, maxRatio, note) {
  const ours = median(samples.ours.seconds);
  const skopeo = median(samples.skopeo.seconds);
  const ratio = ours / skopeo;
  // Ratio of the fastest runs: on a busy machine the minimum is the least disturbed sample.
  const best = Math.min(...samples.ours.seconds) / Math.min(...samples.skopeo.seconds);
  const cpuOurs = median(samples.ours.cpu);
  const cpuSkopeo = median(samples.skopeo.cpu);
  const cpuNote = Number.isFinite(cpuOurs) ? `CPU (user+sys) ours ${fmtSeconds(cpuOurs)}, skopeo ${fmtSeconds(cpuSkopeo)}` : undefined;
  return {
    case: caseName,
    image,
    metric: 'time',
    ours: fmtSeconds(ours),
    skopeo: fmtSeconds(skopeo),
    ratio: ratio.toFixed(2),
    best: best.toFixed(2),
    target: `<= ${maxRatio.toFixed(2)}`,
    pass: ratio <= maxRatio,
    note: [note, cpuNote].filter(Boolean).join('; ') || undefined,
    values: { ours, skopeo, ratio, best, maxRatio, cpuOurs, cpuSkopeo },
    samples,
  };
}

export function errorLine(caseName, image, err) {
  return { case: caseName, image, metric: 'error', ours: '-', skopeo: '-', ratio: '-', target: '-', pass: false, note: err.message.split('\n')[0] };
}

const COLUMNS = [
  ['case', 'Case'],
  ['image', 'Image'],
  ['ours', 'ours'],
  ['skopeo', 'skopeo'],
  ['ratio', 'ratio'],
  ['best', 'best'],
  ['target', 'target'],
  ['verdict', 'result'],
];

export function renderTable(lines) {
  const rows = lines.map((l) => ({ best: '-', ...l, verdict: l.metric === 'error' ? 'ERROR' : l.pass === null ? 'info' : l.pass ? 'PASS' : 'FAIL' }));
  const widths = COLUMNS.map(([k, h]) => Math.max(h.length, ...rows.map((r) => String(r[k] ?? '').length)));
  const fmt = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  const out = [fmt(COLUMNS.map(([, h]) => h)), fmt(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) out.push(fmt(COLUMNS.map(([k]) => r[k] ?? '')));
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.case} ${r.image}: ${r.note}`);
  if (notes.length) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

export async function writeJsonReport(file, meta, lines) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ ...meta, lines }, null, 2)}\n`);
}

