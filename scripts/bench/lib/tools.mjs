/**
 * The two contenders as plain command lines. Both take skopeo's transport names, so a case builds
 * SRC and DST once and hands the same strings to either tool.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const OURS_CLI = fileURLToPath(new URL('../../../packages/tui/dist/cli.cjs', import.meta.url));

// --preserve-digests: skopeo must not recompress, so both tools move exactly the same bytes.
// Loopback registries speak plain HTTP; the tls flags are ignored for oci: endpoints.
const SKOPEO_COPY = ['copy', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false'];

/** @typedef {{ key: 'ours'|'skopeo', label: string, copyArgv: (src: string, dst: string, o?: { nodeArgs?: string[] }) => string[] }} Tool */

/** @returns {Tool} */
export function skopeoTool(key = 'skopeo') {
  return {
    key,
    label: key === 'skopeo' ? 'skopeo' : 'skopeo (as ours)',
    copyArgv: (src, dst) => ['skopeo', ...SKOPEO_COPY, src, dst],
  };
}

/** @returns {Tool} */
export function oursTool(extraArgs = []) {
  return {
    key: 'ours',
    label: 'ours',
    copyArgv: (src, dst, o = {}) => [process.execPath, ...(o.nodeArgs ?? []), OURS_CLI, 'copy', src, dst, ...extraArgs],
  };
}

/** One line saying why ours cannot run yet, or undefined when `copy` is there. */
export function oursUnavailable() {
  if (!existsSync(OURS_CLI)) return `${OURS_CLI} is missing; build it with \`pnpm --filter nextdeploy-tui... build\``;
  try {
    const help = execFileSync(process.execPath, [OURS_CLI, 'copy', '--help'], { encoding: 'utf8', stdio: 'pipe', timeout: 30_000 });
    // commander answers `UNKNOWN --help` with the program's help and exit 0, so look for the usage line.
    if (/Usage: \S+ copy\b/.test(help)) return undefined;
    return 'our CLI has no `copy` command yet; use --self-check to exercise the harness';
  } catch (err) {
    const text = `${err.stderr ?? ''}${err.stdout ?? ''}`.trim().split('\n').filter(Boolean).pop() ?? err.message;
    return `our CLI has no working \`copy\` command yet (${text}); use --self-check to exercise the harness`;
  }
}

export function toolVersions() {
  const one = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).trim().split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  return { node: process.version, skopeo: one('skopeo', ['--version']), ours: existsSync(OURS_CLI) ? one(process.execPath, [OURS_CLI, '--version']) : 'missing' };
}
