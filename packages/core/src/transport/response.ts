import type { Readable } from 'node:stream';
import type { IncomingResponse } from './http1/incoming-response.js';
import { TransportError } from '../errors/index.js';
import { toTransportError } from './network-errors.js';
import type { RegistryResponse } from './types.js';

const DEFAULT_TEXT_LIMIT = 4 * 1024 * 1024;
const DEFAULT_BYTES_LIMIT = 64 * 1024 * 1024;
/** Bodies up to this size are drained on dump so the socket goes back to the pool; larger ones close it. */
const DUMP_DRAIN_LIMIT = 256 * 1024;

export interface ResponseInit {
  status: number;
  headers: Headers;
  url: string;
  body: IncomingResponse;
  timeoutMs: number;
}

/**
 * A RegistryResponse over an IncomingResponse. Failures while reading surface as TransportError:
 * the response itself words its errors, so `body` hands out the response stream with no extra hop
 * for a blob's bytes to go through.
 */
export function wrapResponse(init: ResponseInit): RegistryResponse {
  const { body: source, url, timeoutMs } = init;
  source.errorMapper = (err) => toTransportError(err, url, timeoutMs) as Error;
  let streamed = false;
  let consumed = false;
  const claim = (): void => {
    if (consumed) throw new TransportError(url, 'response body was already read', { hint: 'read a response body only once' });
    consumed = true;
  };

  const bytes = async (limit = DEFAULT_BYTES_LIMIT): Promise<Buffer> => {
    claim();
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of source) {
        total += (chunk as Buffer).length;
        if (total > limit) {
          source.destroy();
          throw new TransportError(url, `response body exceeds ${limit} bytes`, { hint: 'the registry sent far more than expected' });
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      throw toTransportError(err, url, timeoutMs);
    }
    return Buffer.concat(chunks, total);
  };
  const text = async (limit = DEFAULT_TEXT_LIMIT): Promise<string> => (await bytes(limit)).toString('utf8');

  return {
    status: init.status,
    headers: init.headers,
    url,
    get body(): Readable {
      if (streamed) return source;
      claim();
      streamed = true;
      return source;
    },
    text,
    async json<T>(limit?: number): Promise<T> {
      const raw = await text(limit);
      try {
        return JSON.parse(raw) as T;
      } catch {
        throw new TransportError(url, 'response body is not valid JSON', { hint: 'the registry or a proxy answered with something else' });
      }
    },
    bytes,
    async dump(): Promise<void> {
      if (streamed) {
        source.destroy();
        return;
      }
      if (consumed) return;
      consumed = true;
      await drainOrDestroy(source, DUMP_DRAIN_LIMIT);
    },
  };
}

/**
 * Reads and discards a small body so its keep-alive socket returns to the pool; a body declared
 * or found to be larger than `limit` is cut off instead (closing the socket is cheaper than
 * downloading it). Never rejects: the caller is done with this response either way.
 */
function drainOrDestroy(message: IncomingResponse, limit: number): Promise<void> {
  if (message.readableEnded || message.destroyed) return Promise.resolve();
  const declared = Number(message.headers['content-length'] ?? NaN);
  if (declared > limit) {
    message.destroy();
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    let seen = 0;
    const done = (): void => {
      message.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > limit) message.destroy();
    };
    message.on('data', onData);
    message.once('end', done);
    message.once('close', done);
    // an error after dump() is nobody's concern, but must not go unhandled
    message.once('error', done);
  });
}
