import type { IncomingMessage } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import type { HttpClient } from './http-pool.js';
import { IdleWatchdog } from './idle-watchdog.js';
import { BODY_TIMEOUT, HEADERS_TIMEOUT, timeoutError } from './network-errors.js';
import { abortReason } from './retry.js';

export interface SendOptions {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | Uint8Array | Readable | undefined;
  /** Pool and scheme to send with; must match the URL's protocol. */
  client: HttpClient;
  signal: AbortSignal | undefined;
  /** Idle limit: while waiting for headers (sending counts as progress), and while a reader waits on the body. */
  timeoutMs: number;
}

/**
 * One HTTP exchange over node:http(s): resolves with the response once its headers arrive, with
 * the body still streaming. The signal and the idle timeout keep governing the body after that,
 * so a cancelled or stalled download fails its reader promptly.
 *
 * A stream body is only read once the socket is connected, so a stream nobody has read from is
 * still intact (and sendable elsewhere) when the connection fails; this function never destroys
 * a stream it did not start reading.
 */
export function sendRequest(options: SendOptions): Promise<IncomingMessage> {
  const { url, body, signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const headers = { ...options.headers };
  if (body !== undefined && !(body instanceof Readable) && headers['content-length'] === undefined) {
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  }

  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = options.client.request(url, { method: options.method, headers, agent: options.client.agent });
    let response: IncomingMessage | undefined;

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
        const socket = req.socket;
        return socket ? socket.bytesRead + socket.bytesWritten : 0;
      },
      () => {
        if (response) response.destroy(timeoutError(BODY_TIMEOUT, timeoutMs));
        else req.destroy(timeoutError(HEADERS_TIMEOUT, timeoutMs));
      },
    );
    const onAbort = (): void => {
      const reason = abortReason(signal!) as Error;
      if (response) response.destroy(reason);
      else req.destroy(reason);
    };
    const cleanup = (): void => {
      watchdog.stop();
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket) => {
      // Time spent queued for a pooled socket is not idle time; the clock starts here.
      watchdog.start();
      if (!(body instanceof Readable)) return;
      const pump = (): void => {
        // pipeline ends the request after the body, and destroys the request if the body fails.
        pipeline(body, req, () => undefined);
      };
      if (socket.connecting) socket.once('connect', pump);
      else pump();
    });
    // After the response, failures of the request side (an upload cut short) surface on the response.
    req.on('error', (err) => {
      if (response) return;
      cleanup();
      reject(err);
    });
    req.on('response', (res) => {
      response = res;
      watchdog.start();
      res.on('close', cleanup);
      resolve(res);
    });
    if (!(body instanceof Readable)) req.end(body);
  });
}
