/**
 * The exit codes scripts can rely on. Classification is by the error's `name`/`code`/`status` rather
 * than `instanceof`, so printing an error never forces @nextdeploy/core (and undici) to load.
 */
export const ExitCode = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  AUTH: 3,
  NOT_FOUND: 4,
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Shown at the end of `--help`. */
export const EXIT_CODE_HELP = `Exit codes:
  0    success
  1    any other failure (network, registry error, bad content)
  2    usage error: unknown command or flag, missing or malformed argument or reference
  3    authentication failed: credentials missing or rejected, or access denied
  4    not found: no such image, tag, digest or repository
  130  interrupted (Ctrl-C)`;

const NOT_FOUND_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'BLOB_UNKNOWN', 'NOT_FOUND']);
const AUTH_CODES = new Set(['UNAUTHORIZED', 'DENIED']);
const USAGE_CODES = new Set(['INVALID_REFERENCE', 'USAGE']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  codes?: unknown;
}

export function exitCodeFor(err: unknown): ExitCode {
  if (!err || typeof err !== 'object') return ExitCode.ERROR;
  const e = err as ErrorShape;
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return ExitCode.INTERRUPTED;
  const codes = new Set<string>([
    ...(typeof e.code === 'string' ? [e.code] : []),
    ...(Array.isArray(e.codes) ? e.codes.filter((c): c is string => typeof c === 'string') : []),
  ]);
  if ([...codes].some((c) => USAGE_CODES.has(c))) return ExitCode.USAGE;
  if (e.name === 'AuthenticationError' || e.status === 401 || e.status === 403 || [...codes].some((c) => AUTH_CODES.has(c))) {
    return ExitCode.AUTH;
  }
  if (e.status === 404 || [...codes].some((c) => NOT_FOUND_CODES.has(c))) return ExitCode.NOT_FOUND;
  return ExitCode.ERROR;
}
