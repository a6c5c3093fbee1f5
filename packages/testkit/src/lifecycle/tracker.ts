/**
 * One registry of everything the testkit starts (processes, servers, temp dirs) so a test file
 * can tear it all down with a single `stopAll()` and nothing outlives the test run.
 */
import { killOnParentDeath, forgetOnParentDeath } from './watchdog.js';
import type { ChildProcess } from 'node:child_process';

export interface Stoppable {
  stop(): Promise<void>;
}

const live = new Set<Stoppable>();
const children = new Set<ChildProcess>();
let hooksInstalled = false;

/** Remember a resource until it is stopped; returns the same object for chaining. */
export function track<T extends Stoppable>(resource: T): T {
  installHooks();
  live.add(resource);
  return resource;
}

export function untrack(resource: Stoppable): void {
  live.delete(resource);
}

/** Remember a child process so exit/signal hooks and the watchdog can kill it synchronously. */
export function trackChild(child: ChildProcess): void {
  installHooks();
  if (child.pid === undefined) return;
  const pid = child.pid;
  children.add(child);
  killOnParentDeath(pid);
  child.once('exit', () => {
    children.delete(child);
    forgetOnParentDeath(pid);
  });
}

/** Stop every resource the testkit started in this process (use as `afterAll(stopAll)`). */
export async function stopAll(): Promise<void> {
  const all = [...live];
  live.clear();
  const results = await Promise.allSettled(all.map((r) => r.stop()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** How many resources are still running (tests assert 0 after stopAll). */
export function liveCount(): number {
  return live.size;
}

function killChildrenNow(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone: nothing left to clean.
    }
  }
  children.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: async stop() cannot run, so children get SIGKILL.
  process.on('exit', killChildrenNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killChildrenNow();
      // Listening to a signal cancels Node's default exit; re-raise so the process still dies,
      // unless someone else (a test runner) listens too and has chosen what the signal means.
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
