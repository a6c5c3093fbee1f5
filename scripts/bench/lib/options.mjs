/**
 * Command-line options of the benchmark. Sizes live here too because `--quick` changes them and
 * every case must agree on what "the 8-layer image" is.
 */
import { parseArgs } from 'node:util';

const MiB = 1024 * 1024;

export const CASE_NAMES = ['reg-to-reg', 'pull-oci', 'push-oci', 'wan', 'rerun', 'mount', 'rss'];

export const USAGE = `Usage: node scripts/bench/run.mjs [options]

Times our \`copy\` against \`skopeo copy\` on local registries, alternating, fresh destination each run.

Options:
  --rounds N        timed runs per tool and line (default 5; --quick: 2)
  --warmup N        untimed runs per tool before each line (default 1; --quick: 0)
  --case NAME       run only these cases (repeatable or comma-separated): ${CASE_NAMES.join(', ')}
  --json FILE       also write every sample and verdict as JSON
  --quick           smoke check: 8 x 4 MiB, 1 x 32 MiB, big layer 128 MiB, 2 rounds
  --skip-big        skip the 1 GiB layer of the peak-RSS case
  --wan-side SIDE   which registry sits behind a WAN shaper: dest (default, the upload case), src or both
  --ours-arg ARG    extra argument appended to our copy command (repeatable), e.g. --ours-arg=--jobs --ours-arg=8
  --self-check      run skopeo in place of ours: ratios show the harness's noise floor (should be ~1.00)
  --cpu-prof DIR    after each timed line, run ours once more under --cpu-prof and print its hottest functions
  --timeout SECONDS kill a single copy that runs longer than this (default 180)
  -h, --help        show this help`;

function positiveInt(name, raw, min) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

export function parseOptions(argv) {
  const { values } = parseArgs({
    // `pnpm bench -- --quick` hands the script the `--` itself
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      case: { type: 'string', multiple: true },
      json: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'skip-big': { type: 'boolean', default: false },
      'wan-side': { type: 'string', default: 'dest' },
      'ours-arg': { type: 'string', multiple: true },
      'self-check': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      timeout: { type: 'string', default: '180' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick;
  const cases = (values.case ?? CASE_NAMES).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  for (const c of cases) {
    if (!CASE_NAMES.includes(c)) throw new Error(`unknown --case "${c}"; pick from ${CASE_NAMES.join(', ')}`);
  }
  if (!['both', 'src', 'dest'].includes(values['wan-side'])) {
    throw new Error(`--wan-side must be both, src or dest, got "${values['wan-side']}"`);
  }
  return {
    help: values.help,
    rounds: values.rounds === undefined ? (quick ? 2 : 5) : positiveInt('rounds', values.rounds, 1),
    warmup: values.warmup === undefined ? (quick ? 0 : 1) : positiveInt('warmup', values.warmup, 0),
    cases,
    jsonFile: values.json,
    quick,
    skipBig: values['skip-big'],
    wanSide: values['wan-side'],
    oursArgs: values['ours-arg'] ?? [],
    selfCheck: values['self-check'],
    cpuProfDir: values['cpu-prof'],
    timeoutMs: positiveInt('timeout', values.timeout, 1) * 1000,
    sizes: quick
      ? { layers: 8, layerSize: 4 * MiB, singleSize: 32 * MiB, bigSize: 128 * MiB }
      : { layers: 8, layerSize: 32 * MiB, singleSize: 256 * MiB, bigSize: 1024 * MiB },
  };
}
