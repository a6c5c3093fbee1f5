import type { Readable } from 'node:stream';
import type { ConnectionPool } from './http1/connection-pool.js';
import type { Http1Connection } from './http1/connection.js';
import type { IncomingResponse } from './http1/incoming-response.js';
import { IdleWatchdog } from './idle-watchdog.js';
import { BODY_TIMEOUT, HEADERS_TIMEOUT, timeoutError } from './network-errors.js';
import { abortReason } from './retry.js';

export interface SendOptions {
  method: string;
  url: URL;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string | Uint8Array | Readable | undefined;
  pool: ConnectionPool;
  signal: AbortSignal | undefined;
  /** Idle limit: while waiting for headers (sending counts as progress), and while a reader waits on the body. */
  timeoutMs: number;
}

/**
 * One HTTP exchange: resolves with the response once its headers arrive, with the body still
 * streaming. The signal and the idle timeout keep governing the body after that, so a cancelled
 * or stalled download fails its reader promptly.
 *
 * A stream body is only read once the socket is connected, so a stream nobody has read from is
 * still intact (and sendable elsewhere) when the connection fails; a stream it did start reading
 * is destroyed when the exchange fails, as nobody else can use it any more.
 */
export async function sendRequest(options: SendOptions): Promise<IncomingResponse> {
  const { url, signal, timeoutMs } = options;
  // Time spent waiting for a free connection is not idle time: the clock starts once we have one.
  const connection = await options.pool.acquire(url, signal);
  if (signal?.aborted) {
    connection.destroy();
    throw abortReason(signal);
  }
  let response: IncomingResponse | undefined;
  const watchdog = new IdleWatchdog(
    timeoutMs,
    () => {
      if (response) {
        // Everything arrived: nothing left to wait for on the network.
        if (response.complete) {
          watchdog.stop();
          return true;
        }
        // A full buffer means the reader is the slow side, not the server.
        if (response.readableLength >= response.readableHighWaterMark) return true;
      }
      return connection.progress;
    },
    () => {
      if (response) response.destroy(timeoutError(BODY_TIMEOUT, timeoutMs));
      else connection.destroy(timeoutError(HEADERS_TIMEOUT, timeoutMs));
    },
  );
  const onAbort = (): void => {
    const reason = abortReason(signal!) as Error;
    if (response) response.destroy(reason);
    else connection.destroy(reason);
  };
  const cleanup = (): void => {
    watchdog.stop();
    signal?.removeEventListener('abort', onAbort);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  watchdog.start();
  try {
    response = await send(connection, options);
  } catch (err) {
    cleanup();
    throw err;
  }
  watchdog.start();
  response.once('close', cleanup);
  // a response over before anyone reads it (bodyless, or small and complete) holds no timer
  if (response.complete) watchdog.stop();
  return response;
}

function send(connection: Http1Connection, options: SendOptions): Promise<IncomingResponse> {
  const { url } = options;
  return connection.send({ method: options.method, target: `${url.pathname}${url.search}`, host: url.host, headers: options.headers, body: options.body });
}
