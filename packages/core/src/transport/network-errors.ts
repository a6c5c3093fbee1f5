import { NextdeployError, TransportError, isAbortError } from '../errors/index.js';

/** No response headers arrived (and nothing was sent) for the whole per-request timeout. */
export const HEADERS_TIMEOUT = 'NEXTDEPLOY_HEADERS_TIMEOUT';
/** A response body stopped arriving for the whole per-request timeout while its reader waited. */
export const BODY_TIMEOUT = 'NEXTDEPLOY_BODY_TIMEOUT';

/** The error a stalled request or response is destroyed with; toTransportError words it. */
export function timeoutError(code: typeof HEADERS_TIMEOUT | typeof BODY_TIMEOUT, timeoutMs: number): Error {
  const what = code === HEADERS_TIMEOUT ? 'no response headers' : 'no response body bytes';
  return Object.assign(new Error(`${what} for ${timeoutMs}ms`), { code });
}

/**
 * Codes and names along an error's cause chain, and the first error of an AggregateError
 * (Node's happy-eyeballs connect reports every address it tried that way).
 */
export function errorCodes(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, name, cause, errors } = e as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') out.push(code);
    if (typeof name === 'string') out.push(name);
    e = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return out;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** The connection broke under a request: worth another attempt on a fresh socket. */
export function isRetryableNetworkError(err: unknown): boolean {
  if (isAbortError(err)) return false;
  const codes = errorCodes(err);
  return codes.some((c) => RESET_CODES.has(c)) || /socket hang up/i.test(String((err as Error)?.message));
}

const CERT_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/;

/**
 * The server did not speak TLS (a plain-HTTP registry answering a ClientHello): the signal for an
 * insecure registry to fall back to http.
 */
export function isTlsProtocolError(err: unknown): boolean {
  const codes = errorCodes(err);
  // A reset is NOT taken as a sign: a transient drop must not downgrade a registry to http for good.
  return codes.some((c) => c === 'EPROTO' || c.startsWith('ERR_SSL_')) || /wrong version number|packet length too long/i.test(String((err as Error)?.message));
}

/** Maps a network failure to a one-line TransportError; aborts and our own errors pass through. */
export function toTransportError(err: unknown, url: string, timeoutMs: number): unknown {
  if (err instanceof NextdeployError || isAbortError(err)) return err;
  const codes = errorCodes(err);
  const has = (c: string): boolean => codes.includes(c);
  const seconds = Math.round(timeoutMs / 100) / 10;
  const options = { cause: err };
  if (has('ECONNREFUSED')) return new TransportError(url, 'connection refused', { ...options, hint: 'check that the registry is running and the host and port are right' });
  if (has('ENOTFOUND') || has('EAI_AGAIN')) return new TransportError(url, 'host not found', { ...options, hint: 'check the registry name and your DNS' });
  if (has(HEADERS_TIMEOUT) || has('ETIMEDOUT')) {
    return new TransportError(url, `no response within ${seconds}s`, { ...options, hint: 'raise the timeout or check the network' });
  }
  if (has(BODY_TIMEOUT)) return new TransportError(url, `response stalled for ${seconds}s`, { ...options, hint: 'raise the timeout or check the network' });
  const cert = codes.find((c) => CERT_CODES.test(c));
  if (cert) {
    return new TransportError(url, `TLS certificate not trusted (${cert})`, {
      ...options,
      hint: 'add its CA to NODE_EXTRA_CA_CERTS, or list the registry as insecure if you trust the network',
    });
  }
  if (isTlsProtocolError(err)) {
    return new TransportError(url, 'the server does not speak TLS (a plain-HTTP registry?)', {
      ...options,
      hint: 'if you trust the network, pass --insecure (or list the host under --insecure-registry / a profile with insecure: true)',
    });
  }
  if (isRetryableNetworkError(err)) return new TransportError(url, 'connection reset by the server', { ...options, hint: 'retry; the registry or a proxy dropped the connection' });
  const first = codes[0] ?? 'network error';
  const message = String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 200);
  return new TransportError(url, `${first}: ${message}`, { ...options, hint: 'check the network and the registry address' });
}
