import { Readable } from 'node:stream';
import type { ResponseHead, ResponseHeaderMap } from './response-parser.js';

/**
 * Bytes a response may buffer before the socket is paused. Node's 16 KiB default would pause and
 * resume the socket (two epoll changes) for every 64 KiB read of a blob download; a reader that
 * keeps up never reaches this, a slow one stops the socket after a few reads.
 */
const RESPONSE_HIGH_WATER_MARK = 512 * 1024;

/** What a response needs from the connection it arrives on. */
export interface ResponseSource {
  /** The reader wants more: let the socket flow again. */
  resume(): void;
  /** The reader gave up before the end: the connection cannot carry the rest, so it is closed. */
  abandon(): void;
}

/** One response: head fields as node's IncomingMessage names them, and the body as a stream. */
export class IncomingResponse extends Readable {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly headers: ResponseHeaderMap;
  /** True once every body byte arrived (the stream may still hold some unread). */
  complete = false;
  /** Words a network error for whoever reads the body (set by the transport that owns the URL). */
  errorMapper: ((err: Error) => Error) | undefined;

  constructor(
    head: ResponseHead,
    private readonly source: ResponseSource,
  ) {
    super({ highWaterMark: RESPONSE_HIGH_WATER_MARK });
    this.statusCode = head.status;
    this.statusMessage = head.statusText;
    this.headers = head.headers;
    // The body can fail before its reader attaches (the connection drops between the head and the
    // first read). The error stays on the stream (`errored`) for pipeline and for-await to report;
    // it must not also crash the process as an 'error' nobody listened to yet.
    this.on('error', () => undefined);
  }

  override _read(): void {
    this.source.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.complete) this.source.abandon();
    callback(err && this.errorMapper ? this.errorMapper(err) : err);
  }
}
