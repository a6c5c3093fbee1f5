/**
 * A tiny sidecar node process that kills our registries (and removes their temp dirs) when this
 * process dies by SIGKILL or a crash, which no in-process hook can see. It learns pids and dirs
 * over a pipe; when the pipe closes (parent gone for any reason) it cleans up what is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const WATCHDOG_SOURCE = `
const pids = new Set();
const dirs = new Set();
let buf = '';
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const op = line[0], arg = line.slice(1);
    if (op === '+') pids.add(Number(arg));
    else if (op === '-') pids.delete(Number(arg));
    else if (op === 'D') dirs.add(arg);
    else if (op === 'd') dirs.delete(arg);
  }
});
const done = () => {
  for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch {} }
  // Give the kernel a moment to reap the killed processes before deleting their files.
  setTimeout(() => {
    for (const d of dirs) { try { require('node:fs').rmSync(d, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  }, 100);
};
process.stdin.on('end', done);
process.stdin.on('error', done);
`;

let watchdog: ChildProcess | undefined;

function ensureWatchdog(): ChildProcess | undefined {
  if (watchdog && watchdog.exitCode === null && !watchdog.killed) return watchdog;
  const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => {
    watchdog = undefined;
  });
  child.stdin?.on('error', () => {
    watchdog = undefined;
  });
  // The watchdog must never keep the test process alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdog = child;
  return child;
}

function send(line: string): void {
  const stdin = ensureWatchdog()?.stdin;
  if (stdin?.writable) stdin.write(`${line}\n`);
}

export function killOnParentDeath(pid: number): void {
  send(`+${pid}`);
}

export function forgetOnParentDeath(pid: number): void {
  if (watchdog) send(`-${pid}`);
}

/** Temp dirs to delete if this process dies without cleaning up. */
export function removeOnParentDeath(dir: string): void {
  if (!dir.includes('\n')) send(`D${dir}`);
}

export function forgetDirOnParentDeath(dir: string): void {
  if (watchdog && !dir.includes('\n')) send(`d${dir}`);
}

/** Pid of the watchdog sidecar, for tests that prove it cleans up after a killed parent. */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
