import type { Readable } from 'node:stream';
import { RegistryError, type RegistryErrorDetail } from '../errors/index.js';
import type { RegistryResponse } from '../transport/types.js';

/** Error bodies are small JSON documents; anything larger is an HTML page nobody needs in full. */
const ERROR_BODY_LIMIT = 64 * 1024;

const STATUS_PHRASE: Record<number, string> = {
  401: 'is not accessible without valid credentials',
  403: 'is not accessible with these credentials',
  404: 'not found',
  405: 'is not supported by this registry',
  429: 'was refused: too many requests',
};
const STATUS_HINT: Record<number, string> = {
  401: 'log in to the registry or check the stored credentials',
  403: 'ask for push/pull/delete permission on this repository or use other credentials',
  429: 'wait a while and retry, or authenticate to get a higher rate limit',
};

/** What Go's server (distribution, and most registries) answers plain HTTP with on a TLS port. */
const PLAIN_HTTP_TO_TLS = /client sent an http request to an https server/i;
const PLAIN_HTTP_TO_TLS_HINT =
  'this port serves https: name the registry by a host its certificate holds (its CA in NODE_EXTRA_CA_CERTS if private), or pass --insecure for https without verification';

/** A fixed hint, or one chosen from what the registry said (e.g. only for `UNSUPPORTED`). */
export type HintFor = string | ((status: number, errors: RegistryErrorDetail[]) => string | undefined);

/**
 * Builds the error for a status the operation did not expect, reading the spec error body so
 * callers can test `hasCode('MANIFEST_UNKNOWN')`. `what` names the thing: `manifest host/app:v1`.
 */
export async function unexpectedStatus(res: RegistryResponse, method: string, what: string, hint?: HintFor): Promise<RegistryError> {
  let body = '';
  try {
    body = await res.text(ERROR_BODY_LIMIT);
  } catch {
    // an unreadable error body still leaves the status to report
  }
  const errors = RegistryError.parseBody(body);
  const phrase = STATUS_PHRASE[res.status] ?? 'failed';
  // A loopback registry is reached over plain http unless marked insecure; one serving TLS says so in its 400.
  const tlsPort = res.status === 400 && res.url.startsWith('http:') && PLAIN_HTTP_TO_TLS.test(body);
  const finalHint = tlsPort ? PLAIN_HTTP_TO_TLS_HINT : ((typeof hint === 'function' ? hint(res.status, errors) : hint) ?? STATUS_HINT[res.status]);
  return new RegistryError(`${what} ${phrase}`, {
    status: res.status,
    method,
    url: res.url,
    errors,
    ...(finalHint ? { hint: finalHint } : {}),
  });
}

/** Throws `unexpectedStatus(...)` unless the response has one of `ok`. */
export async function expectStatus(res: RegistryResponse, ok: readonly number[], method: string, what: string, hint?: HintFor): Promise<void> {
  if (!ok.includes(res.status)) throw await unexpectedStatus(res, method, what, hint);
}

/**
 * Reads a whole body but no more than `limit` bytes, calling `tooLarge` (which must throw) as soon
 * as the limit is crossed, so the caller picks the error type and a hostile server cannot make us
 * buffer without bound.
 */
export async function readBounded(body: Readable, limit: number, tooLarge: () => never): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      body.destroy();
      tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

export function contentLength(res: RegistryResponse): number | undefined {
  const raw = res.headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
