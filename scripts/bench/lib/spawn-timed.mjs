/**
 * Run one tool invocation and time it from spawn to exit. Every command (ours AND skopeo) goes
 * through the same path, including the GNU time wrapper that reports peak RSS, so the wrapper's
 * ~1 ms costs both sides alike.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';

const GNU_TIME = '/usr/bin/time';
const TAIL_BYTES = 4096;

export const canMeasureRss = existsSync(GNU_TIME);

function keepTail(text, chunk) {
  const joined = text + chunk;
  return joined.length > TAIL_BYTES ? joined.slice(-TAIL_BYTES) : joined;
}

function lastLine(text) {
  return text.trim().split('\n').filter(Boolean).pop() ?? '';
}

/**
 * The line that says why a tool failed: a crashed node process ends its stderr with a stack and
 * "Node.js vX", so prefer the thrown error's own line over the trailer.
 */
function failureLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^Node\.js v\d/.test(l) && !l.startsWith('at '));
  return lines.find((l) => /^(\w*Error\b|error:|fatal)/i.test(l)) ?? lines.pop() ?? '';
}

/**
 * @param {string[]} argv command and arguments (no shell)
 * @param {{ label: string, timeoutMs: number, signal?: AbortSignal, rssFile?: string, env?: Record<string,string> }} opts
 * @returns {Promise<{ seconds: number, rssBytes?: number, cpuSeconds?: number, stdout: string, stderr: string }>}
 */
export async function runTimed(argv, opts) {
  const useTime = canMeasureRss && opts.rssFile !== undefined;
  const full = useTime ? [GNU_TIME, '-f', '%M %U %S', '-o', opts.rssFile, ...argv] : argv;
  const [cmd, ...args] = full;
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const started = performance.now();
  const exit = await new Promise((resolve, reject) => {
    // Own process group, so a timeout or Ctrl-C kills the tool and anything it started.
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...opts.env } });
    let exitedAt = 0;
    let code = null;
    let signal = null;
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    opts.signal?.addEventListener('abort', kill, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout = keepTail(stdout, d)));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr = keepTail(stderr, d)));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new Error(`${cmd} not found; install it or fix the path`) : err);
    });
    // Time at 'exit' (the process is gone); 'close' additionally waits for the pipes to drain.
    child.on('exit', (c, s) => {
      exitedAt = performance.now();
      code = c;
      signal = s;
    });
    child.on('close', () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, exitedAt: exitedAt || performance.now() });
    });
  });
  const seconds = (exit.exitedAt - started) / 1000;
  let rssBytes;
  let cpuSeconds;
  if (useTime) {
    const text = await readFile(opts.rssFile, 'utf8').catch(() => '');
    await rm(opts.rssFile, { force: true });
    // GNU time writes "Command exited with non-zero status N" before the figures on failure.
    const [kb, user, sys] = lastLine(text).split(' ').map(Number);
    if (Number.isFinite(kb) && kb > 0) rssBytes = kb * 1024;
    // CPU seconds barely move when other processes compete for the cores, unlike wall time.
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuSeconds = user + sys;
  }
  if (timedOut) throw new Error(`${opts.label} timed out after ${opts.timeoutMs / 1000} s; raise --timeout or look at: ${lastLine(stderr)}`);
  if (opts.signal?.aborted) throw new Error(`${opts.label} was interrupted`);
  if (exit.code !== 0) {
    const why = exit.signal ? `was killed by ${exit.signal}` : `exited ${exit.code}`;
    throw new Error(`${opts.label} ${why}: ${failureLine(stderr) || lastLine(stdout) || 'no output'}`);
  }
  return { seconds, rssBytes, cpuSeconds, stdout, stderr };
}
