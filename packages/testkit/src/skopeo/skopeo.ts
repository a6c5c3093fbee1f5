import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { TestRegistry } from '../registry/types.js';

export interface SkopeoResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface SkopeoOptions {
  /** Extra environment, merged over process.env. */
  env?: Record<string, string | undefined>;
  /** Written to skopeo's stdin (e.g. a password for `login --password-stdin`). */
  input?: string;
  signal?: AbortSignal;
  /** Kill skopeo after this long; default 120 s. */
  timeoutMs?: number;
}

/** Run skopeo with argv (never a shell). Resolves with its exit code; does not throw on failure. */
export function skopeo(args: string[], opts: SkopeoOptions = {}): Promise<SkopeoResult> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs ?? 120_000), ...(opts.signal ? [opts.signal] : [])]);
    const child = spawn('skopeo', args, {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        reject(new Error('skopeo not found; run `bash scripts/ensure-test-deps.sh` as root or `apt-get install skopeo`'));
      } else if (err.name === 'AbortError') {
        reject(new Error(`skopeo ${args[0] ?? ''} was aborted or timed out; stderr so far: ${stderr.trim().split('\n').pop() ?? ''}`));
      } else {
        reject(err);
      }
    });
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    child.stdin.on('error', () => {
      // skopeo may exit before reading stdin; its exit code tells the story.
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Like skopeo(), but throws one line with skopeo's last stderr line when it exits non-zero. */
export async function skopeoOk(args: string[], opts: SkopeoOptions = {}): Promise<SkopeoResult> {
  const result = await skopeo(args, opts);
  if (result.code !== 0) {
    const last = result.stderr.trim().split('\n').pop() ?? '';
    throw new Error(`skopeo ${args[0] ?? ''} exited ${result.code}: ${last}`);
  }
  return result;
}

/** 'plain' = `--creds` for inspect/list-tags/delete; 'src'/'dest' = the `copy` flags for that side. */
export type SkopeoSide = 'plain' | 'src' | 'dest';

export interface SkopeoCredsOptions {
  /** Default 'plain'. */
  side?: SkopeoSide;
  /** Which user to log in as; default the registry's first user. `null` = anonymous. */
  user?: string | null;
}

/**
 * The flags skopeo needs for a TestRegistry: TLS verification off for a plain-HTTP registry (skopeo
 * would refuse it otherwise) or, for a `tls` registry, verification against its own CA; plus creds
 * when the registry has auth. `side: 'dest'` -> `--dest-tls-verify=false --dest-creds u:p`.
 */
export function skopeoCreds(reg: TestRegistry, opts: SkopeoCredsOptions | SkopeoSide = {}): string[] {
  const o: SkopeoCredsOptions = typeof opts === 'string' ? { side: opts } : opts;
  const prefix = !o.side || o.side === 'plain' ? '' : `${o.side}-`;
  const user = o.user === undefined ? Object.keys(reg.users)[0] : o.user;
  const creds = reg.mode !== 'none' && user !== null && user !== undefined ? `${user}:${reg.users[user] ?? ''}` : undefined;
  const tls = reg.caCertPath ? [`--${prefix}cert-dir`, dirname(reg.caCertPath)] : [`--${prefix}tls-verify=false`];
  return [...tls, ...(creds ? [`--${prefix}creds`, creds] : [])];
}
