import type { ChildProcess } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';

/** Status of `GET url`, trusting `ca` (and only it) for https. Node's fetch has no per-call CA option. */
function probeStatus(url: string, ca: string | undefined, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { timeout: timeoutMs, agent: false as const, ...(ca ? { ca } : {}) };
    const req = (url.startsWith('https:') ? httpsGet : httpGet)(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('probe timed out')));
    req.on('error', reject);
  });
}

/**
 * Poll `GET /v2/` until the registry answers (200 or 401 both mean it is serving) or the process
 * exits. Over https the probe verifies the certificate against `ca`, so a registry whose
 * certificate a client trusting that CA would reject never counts as up.
 * Resolves with null on success, or with the reason it never came up.
 */
export async function waitUntilServing(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  ca?: string,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  let lastError = '';
  child.once('exit', (code, signal) => {
    exited = `registry exited early (code ${code ?? 'none'}, signal ${signal ?? 'none'})`;
  });
  while (Date.now() < deadline) {
    if (exited) return exited;
    try {
      const status = await probeStatus(`${url}/v2/`, ca, 1000);
      if (status === 200 || status === 401) return null;
      lastError = `status ${status}`;
    } catch (err) {
      // Not listening yet, or (kept for the message) a TLS failure that will not go away.
      lastError = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return exited ?? `registry did not answer GET /v2/ within ${timeoutMs} ms (last: ${lastError || 'no attempt'})`;
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
