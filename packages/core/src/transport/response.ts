import { PassThrough, type Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import { TransportError } from '../errors/index.js';
import { toTransportError } from './network-errors.js';
import type { RegistryResponse } from './types.js';

/** What undici hands back for a body: a Readable with a cheap `dump`. */
export type UndiciBody = Readable & { dump(opts?: { limit: number }): Promise<void> };

const DEFAULT_TEXT_LIMIT = 4 * 1024 * 1024;
const DEFAULT_BYTES_LIMIT = 64 * 1024 * 1024;
/** Bodies up to this size are drained on dump so the socket goes back to the pool; larger ones close it. */
const DUMP_DRAIN_LIMIT = 256 * 1024;

export function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, v);
      } catch {
        // a header value undici accepted but WHATWG Headers rejects: not one we need
      }
    }
  }
  return headers;
}

export interface ResponseInit {
  status: number;
  headers: Headers;
  url: string;
  body: UndiciBody;
  timeoutMs: number;
}

/**
 * A RegistryResponse over undici's body. Failures while reading surface as TransportError; the
 * `body` stream is only wrapped when a caller asks for it, so text/json/bytes read undici directly.
 */
export function wrapResponse(init: ResponseInit): RegistryResponse {
  const { body: source, url, timeoutMs } = init;
  let wrapped: PassThrough | undefined;
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
      if (wrapped) return wrapped;
      claim();
      const out = new PassThrough();
      source.on('error', (err) => out.destroy(toTransportError(err, url, timeoutMs) as Error));
      // a consumer that gives up must release the socket too
      out.on('close', () => {
        if (!source.readableEnded) source.destroy();
      });
      source.pipe(out);
      wrapped = out;
      return out;
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
      if (wrapped) {
        wrapped.destroy();
        return;
      }
      if (consumed) return;
      consumed = true;
      await source.dump({ limit: DUMP_DRAIN_LIMIT }).catch(() => undefined);
    },
  };
}
