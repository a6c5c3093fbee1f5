/**
 * One error hierarchy for everything core throws. Every message is a single line that names the
 * thing that went wrong and, where there is one, the fix; none ever carries a secret, because the
 * CLI prints `message` as-is and users paste it into issue trackers.
 */

export interface NextdeployErrorOptions {
  cause?: unknown;
  /** What the user can do about it, appended to the message after "; ". */
  hint?: string;
}

export class NextdeployError extends Error {
  /** Stable machine-readable code, e.g. `INVALID_REFERENCE`. */
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: NextdeployErrorOptions = {}) {
    super(options.hint ? `${message}; ${options.hint}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** A malformed image reference, repository name, tag, digest or transport string. */
export class InvalidReferenceError extends NextdeployError {
  readonly input: string;
  constructor(input: string, problem: string, options: NextdeployErrorOptions = {}) {
    super('INVALID_REFERENCE', `invalid reference "${truncate(input)}": ${problem}`, options);
    this.input = input;
  }
}

/** One entry of the distribution spec's error body: `{"errors":[{code,message,detail}]}`. */
export interface RegistryErrorDetail {
  code: string;
  message?: string;
  detail?: unknown;
}

/** Codes defined by the OCI distribution spec (plus TOOMANYREQUESTS, which Docker Hub and others send). */
export const REGISTRY_ERROR_CODES = [
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UPLOAD_UNKNOWN',
  'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'SIZE_INVALID',
  'UNAUTHORIZED',
  'DENIED',
  'UNSUPPORTED',
  'TOOMANYREQUESTS',
] as const;
export type RegistryErrorCode = (typeof REGISTRY_ERROR_CODES)[number];

export interface RegistryErrorInit extends NextdeployErrorOptions {
  status: number;
  method: string;
  /** Request URL; query strings are dropped before it is stored because they can carry tokens. */
  url: string;
  errors?: RegistryErrorDetail[];
}

/** A registry answered with an HTTP status the operation does not accept. */
export class RegistryError extends NextdeployError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly errors: RegistryErrorDetail[];

  constructor(summary: string, init: RegistryErrorInit) {
    const errors = init.errors ?? [];
    const url = redactUrl(init.url);
    const codes = errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join(', ');
    super(
      errors[0]?.code ?? `HTTP_${init.status}`,
      `${summary}: ${init.method} ${url} returned ${init.status}${codes ? ` (${truncate(codes, 300)})` : ''}`,
      init,
    );
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.errors = errors;
  }

  /** The spec error codes the registry sent, e.g. `['MANIFEST_UNKNOWN']`. */
  get codes(): string[] {
    return this.errors.map((e) => e.code);
  }

  hasCode(code: RegistryErrorCode | string): boolean {
    return this.errors.some((e) => e.code === code);
  }

  /** Parses a spec error body; anything else (HTML from a proxy, empty) yields no details. */
  static parseBody(body: string): RegistryErrorDetail[] {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { errors?: unknown }).errors)) {
        return ((parsed as { errors: unknown[] }).errors)
          .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string')
          .map((e) => ({
            code: String(e.code),
            ...(typeof e.message === 'string' ? { message: e.message } : {}),
            ...(e.detail !== undefined ? { detail: e.detail } : {}),
          }));
      }
    } catch {
      // not JSON: the status alone has to do
    }
    return [];
  }
}

/** Credentials were missing, rejected, or a token could not be obtained. */
export class AuthenticationError extends NextdeployError {
  readonly registry: string;
  constructor(registry: string, message: string, options: NextdeployErrorOptions = {}) {
    super('UNAUTHORIZED', `${registry}: ${message}`, options);
    this.registry = registry;
  }
}

/** The network failed: connection refused/reset, DNS, TLS, timeout. */
export class TransportError extends NextdeployError {
  readonly url: string;
  constructor(url: string, message: string, options: NextdeployErrorOptions = {}) {
    const safe = redactUrl(url);
    super('TRANSPORT', `${safe}: ${message}`, options);
    this.url = safe;
  }
}

/** A request would have gone out over plain HTTP, or downgraded from HTTPS, without permission. */
export class InsecureTransportError extends NextdeployError {
  constructor(message: string, options: NextdeployErrorOptions = {}) {
    super('INSECURE_TRANSPORT', message, options);
  }
}

/** Content did not match the digest or size it was requested by. */
export class DigestMismatchError extends NextdeployError {
  readonly expected: string;
  readonly actual: string;
  constructor(what: string, expected: string, actual: string, options: NextdeployErrorOptions = {}) {
    super('DIGEST_MISMATCH', `${what}: expected ${expected} but got ${actual}`, options);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A manifest or index that is malformed, too large, or of a media type we do not handle. */
export class ManifestError extends NextdeployError {
  constructor(message: string, options: NextdeployErrorOptions = {}) {
    super('MANIFEST_INVALID', message, options);
  }
}

/** A broken configuration file or option; `file` and `line` point at it when known. */
export class ConfigError extends NextdeployError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, options: NextdeployErrorOptions & { file?: string; line?: number } = {}) {
    const where = options.file ? `${options.file}${options.line ? `:${options.line}` : ''}: ` : '';
    super('CONFIG', `${where}${message}`, options);
    this.file = options.file;
    this.line = options.line;
  }
}

/** A provider plugin failed to load, threw, or returned something malformed. */
export class PluginError extends NextdeployError {
  readonly plugin: string;
  constructor(plugin: string, message: string, options: NextdeployErrorOptions = {}) {
    super('PLUGIN', `provider plugin "${plugin}": ${message}`, options);
    this.plugin = plugin;
  }
}

/** A file-based source or destination (OCI layout, docker archive) is unreadable or unsafe. */
export class ArchiveError extends NextdeployError {
  readonly path: string;
  constructor(path: string, message: string, options: NextdeployErrorOptions = {}) {
    super('ARCHIVE', `${path}: ${message}`, options);
    this.path = path;
  }
}

/** Drops query string, fragment and userinfo: they are where tokens and passwords hide in URLs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const hadQuery = u.search.length > 0;
    u.search = '';
    u.hash = '';
    return hadQuery ? `${u.toString()}?…` : u.toString();
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

function truncate(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function isAbortError(err: unknown): boolean {
  return !!err && typeof err === 'object' && ((err as { name?: string }).name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}

/** A docker-credential-* helper is missing, failed, or answered something unreadable. */
export class CredentialHelperError extends NextdeployError {
  /** The helper's suffix, e.g. `desktop` for `docker-credential-desktop`. */
  readonly helper: string;
  constructor(helper: string, message: string, options: NextdeployErrorOptions = {}) {
    super('CREDENTIAL_HELPER', `docker-credential-${helper}: ${message}`, options);
    this.helper = helper;
  }
}
