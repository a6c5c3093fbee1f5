import { NextdeployError, TransportError, isAbortError } from '../errors/index.js';

/** Codes and names along an error's cause chain (undici wraps node's socket errors). */
export function errorCodes(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === 'string') out.push(code);
    if (typeof name === 'string') out.push(name);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** The connection broke under a request: worth another attempt on a fresh socket. */
export function isRetryableNetworkError(err: unknown): boolean {
  if (isAbortError(err)) return false;
  const codes = errorCodes(err);
  return codes.some((c) => RESET_CODES.has(c)) || /socket hang up|other side closed/i.test(String((err as Error)?.message));
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
  if (has('UND_ERR_HEADERS_TIMEOUT') || has('UND_ERR_CONNECT_TIMEOUT')) {
    return new TransportError(url, `no response within ${seconds}s`, { ...options, hint: 'raise the timeout or check the network' });
  }
  if (has('UND_ERR_BODY_TIMEOUT')) return new TransportError(url, `response stalled for ${seconds}s`, { ...options, hint: 'raise the timeout or check the network' });
  const cert = codes.find((c) => CERT_CODES.test(c));
  if (cert) {
    return new TransportError(url, `TLS certificate not trusted (${cert})`, {
      ...options,
      hint: 'add its CA to NODE_EXTRA_CA_CERTS, or list the registry as insecure if you trust the network',
    });
  }
  if (isRetryableNetworkError(err)) return new TransportError(url, 'connection reset by the server', { ...options, hint: 'retry; the registry or a proxy dropped the connection' });
  const first = codes[0] ?? 'network error';
  const message = String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 200);
  return new TransportError(url, `${first}: ${message}`, { ...options, hint: 'check the network and the registry address' });
}
