/** The fix users are pointed at whenever credentials are missing or wrong. */
export function loginHint(registry: string): string {
  return `run "nextdeploy-tui login ${registry}"`;
}
