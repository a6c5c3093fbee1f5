import type { ChildProcess } from 'node:child_process';

/**
 * Poll `GET /v2/` until the registry answers (200 or 401 both mean it is serving) or the process
 * exits. Resolves with null on success, or with the reason it never came up.
 */
export async function waitUntilServing(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `registry exited early (code ${code ?? 'none'}, signal ${signal ?? 'none'})`;
  });
  while (Date.now() < deadline) {
    if (exited) return exited;
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return null;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return exited ?? `registry did not answer GET /v2/ within ${timeoutMs} ms`;
}

/** Poll a log source until `pattern` matches the text after `since`; one-line error on timeout. */
export async function waitForLog(read: () => string, pattern: RegExp, since: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = read().slice(since);
    if (pattern.test(text)) return text;
    if (Date.now() >= deadline) throw new Error(`registry log did not match ${pattern} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
