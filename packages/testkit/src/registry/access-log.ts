/** One line of the registry's combined-format access log. */
export interface AccessLogEntry {
  method: string;
  /** Path and query, e.g. `/v2/a/blobs/uploads/?mount=sha256:...&from=b`. */
  uri: string;
  status: number;
  /** Response body bytes (request bytes are not logged; use a fault proxy's events for those). */
  responseBytes: number;
  userAgent: string;
}

// 127.0.0.1 - - [04/Dec/2026:20:44:56 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "node"
const LINE = /^\S+ \S+ \S+ \[[^\]]+\] "(\S+) (\S+) HTTP\/[\d.]+" (\d{3}) (\d+|-) "[^"]*" "([^"]*)"$/;

/** Parse the access-log lines out of `reg.logs()` (other log lines are skipped). */
export function parseAccessLog(logText: string): AccessLogEntry[] {
  const entries: AccessLogEntry[] = [];
  for (const line of logText.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    entries.push({
      method: m[1] ?? '',
      uri: m[2] ?? '',
      status: Number(m[3]),
      responseBytes: m[4] === '-' ? 0 : Number(m[4]),
      userAgent: m[5] ?? '',
    });
  }
  return entries;
}
