import { spawn } from 'node:child_process';
import { CredentialHelperError, isAbortError } from '../errors/index.js';

/** The text docker-credential-helpers print when a server has no entry (credentials.errCredentialsNotFound). */
export const CREDENTIALS_NOT_FOUND = 'credentials not found in native keychain';
/** The username docker stores when the secret is an identity (refresh) token rather than a password. */
export const IDENTITY_TOKEN_USERNAME = '<token>';

export type HelperAction = 'get' | 'store' | 'erase' | 'list';

export interface HelperRunOptions {
  /** Environment for the helper; its PATH is where `docker-credential-<name>` is looked up. */
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Helpers such as the desktop keychain can block on a user prompt; default 30 s. */
  timeoutMs?: number;
}

/** Outcome of one helper run: exit 0 with stdout, or the not-found answer. */
type HelperOutcome = { ok: true; stdout: string } | { ok: false; notFound: true };

const DEFAULT_TIMEOUT_MS = 30_000;
/** Helper names become part of an executable name; nothing that could walk the filesystem. */
const HELPER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_OUTPUT = 1 << 20;

/**
 * Runs `docker-credential-<helper> <action>` with `input` on stdin, per the docker-credential-helpers
 * protocol: success is exit 0 with the answer on stdout; failure is exit 1 with the message on
 * stdout, where `credentials not found in native keychain` means "no entry" rather than an error.
 */
export async function runCredentialHelper(
  helper: string,
  action: HelperAction,
  input: string,
  options: HelperRunOptions = {},
): Promise<HelperOutcome> {
  if (!HELPER_NAME_RE.test(helper)) {
    throw new CredentialHelperError(helper, 'invalid helper name', { hint: 'credsStore/credHelpers values are suffixes such as "desktop" or "pass"' });
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const env = Object.fromEntries(Object.entries(options.env ?? process.env).filter((e): e is [string, string] => e[1] !== undefined));

  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(`docker-credential-${helper}`, [action], { env, signal, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) child.kill();
      else into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (isAbortError(e) && options.signal?.aborted) reject(options.signal.reason ?? e);
      else if (isAbortError(e)) reject(new CredentialHelperError(helper, `${action} timed out`, { hint: 'the helper may be waiting for a keychain prompt; unlock it and retry' }));
      else if (e.code === 'ENOENT') reject(new CredentialHelperError(helper, 'not found on PATH', { hint: `install docker-credential-${helper} or remove it from credsStore/credHelpers in docker's config.json` }));
      else reject(new CredentialHelperError(helper, `could not start: ${e.message}`, { cause: e }));
    });
    child.on('close', (c) => resolve({ code: c, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    // A helper that exits without reading stdin makes the write fail with EPIPE; its exit code tells the story.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });

  if (code === 0) return { ok: true, stdout };
  const message = firstLine(stdout) || firstLine(stderr);
  if (message === CREDENTIALS_NOT_FOUND) return { ok: false, notFound: true };
  throw new CredentialHelperError(helper, `${action} failed (exit ${code ?? 'signal'})${message ? `: ${message}` : ''}`);
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
