import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { IncomingResponse } from './incoming-response.js';
import { ResponseParser, type ResponseHead } from './response-parser.js';

export interface OutgoingRequest {
  method: string;
  /** Path and query. */
  target: string;
  /** `host[:port]` as the Host header wants it. */
  host: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string | Uint8Array | Readable | undefined;
}

/** Methods whose requests carry a body by definition, so an empty one is announced as `Content-Length: 0`. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An error with the code node:http gives a connection that closed under a request, so retries see it alike. */
function connectionClosed(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/**
 * One keep-alive HTTP/1.1 connection carrying one exchange at a time (no pipelining). The pool
 * hands it out; `send` resolves at the response head with the body still streaming; when the
 * exchange is over the connection reports back through `onFree`, reusable or not.
 */
export class Http1Connection {
  private readonly parser: ResponseParser;
  private exchange: Exchange | undefined;
  private connected: boolean;
  private closed = false;

  constructor(
    readonly socket: Socket,
    /** Whether the socket is still connecting (and which event says it is ready). */
    connectEvent: 'connect' | 'secureConnect' | undefined,
    private readonly onFree: (connection: Http1Connection, reusable: boolean) => void,
  ) {
    this.connected = connectEvent === undefined;
    if (connectEvent) {
      socket.once(connectEvent, () => {
        this.connected = true;
        this.exchange?.connected();
      });
    }
    this.parser = new ResponseParser({
      head: (head) => this.exchange?.head(head),
      body: (chunk) => this.exchange?.body(chunk),
      end: (reusable) => this.exchange?.end(reusable),
    });
    socket.on('data', (data: Buffer) => this.received(data));
    socket.on('error', (err) => this.exchange?.fail(err));
    socket.on('close', () => {
      this.closed = true;
      const { complete } = this.parser.close();
      if (!complete) this.exchange?.fail(connectionClosed(this.exchange.hasHead ? 'connection closed before the response body ended' : 'socket hang up'));
      this.exchange = undefined;
    });
  }

  /** Bytes from the socket: its 'data' events, or the pool's own read buffer (see connection-pool.ts). */
  received(data: Buffer): void {
    if (!this.exchange) {
      // An idle connection has nothing to say; whatever it says makes it unusable.
      this.socket.destroy();
      return;
    }
    try {
      this.parser.execute(data);
    } catch (err) {
      this.socket.destroy(err as Error);
    }
  }

  get usable(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /** Bytes moved both ways since the socket opened: progress for idle timers. */
  get progress(): number {
    return this.socket.bytesRead + this.socket.bytesWritten;
  }

  send(request: OutgoingRequest): Promise<IncomingResponse> {
    return new Promise((resolve, reject) => {
      const exchange = new Exchange(this, request, resolve, reject);
      this.exchange = exchange;
      this.parser.expect({ bodyless: request.method === 'HEAD' });
      this.socket.ref();
      try {
        exchange.start(this.connected);
      } catch (err) {
        // nothing was written (the head did not serialize), so the connection is as good as before
        this.release(exchange, true);
        reject(err as Error);
      }
    });
  }

  /** Stops everything on this connection now; the exchange (if any) fails with `reason`. */
  destroy(reason?: Error): void {
    this.socket.destroy(reason);
  }

  /** Called by the exchange once it is over: either both directions finished cleanly, or not. */
  release(exchange: Exchange, reusable: boolean): void {
    if (this.exchange !== exchange) return;
    this.exchange = undefined;
    if (!reusable) this.socket.destroy();
    this.onFree(this, reusable && this.usable);
  }

  resumeReading(): void {
    this.socket.resume();
  }

  pauseReading(): void {
    this.socket.pause();
  }
}

/** The state of one request/response on a connection. */
export class Exchange {
  private response: IncomingResponse | undefined;
  private requestDone = false;
  private responseDone = false;
  private reusable = true;
  private finished = false;
  private pumping: { body: Readable; detach: () => void } | undefined;
  /** A stream body waiting for the socket to connect before it is read. */
  private streamBody: { body: Readable; declared: number | undefined } | undefined;

  constructor(
    private readonly connection: Http1Connection,
    private readonly request: OutgoingRequest,
    private readonly resolve: (response: IncomingResponse) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  get hasHead(): boolean {
    return this.response !== undefined;
  }

  /** Writes the head (and a buffered body) at once; a stream body waits for the connection. */
  start(connected: boolean): void {
    const { body, method } = this.request;
    const headers = { ...this.request.headers };
    let declared: number | undefined;
    if (body instanceof Readable) {
      if (headers['content-length'] !== undefined) declared = Number(headers['content-length']);
      else headers['transfer-encoding'] = 'chunked';
    } else if (body !== undefined) {
      headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    } else if (BODY_METHODS.has(method)) {
      headers['content-length'] = '0';
    }
    const head = Buffer.from(serializeHead(this.request, headers), 'latin1');
    const { socket } = this.connection;
    if (body instanceof Readable) {
      socket.write(head);
      this.streamBody = { body, declared };
      if (connected) this.connected();
      return;
    }
    socket.write(body === undefined ? head : Buffer.concat([head, typeof body === 'string' ? Buffer.from(body) : body]));
    this.requestDone = true;
  }

  /**
   * The socket is connected: only now is a stream body read, so a connection that fails first
   * leaves the stream untouched (and sendable on another attempt).
   */
  connected(): void {
    const pending = this.streamBody;
    this.streamBody = undefined;
    if (!pending || this.finished) return;
    const { body, declared } = pending;
    const { socket } = this.connection;
    const chunked = declared === undefined;
    let sent = 0;
    const onData = (chunk: Buffer): void => {
      if (chunk.length === 0) return;
      sent += chunk.length;
      if (declared !== undefined && sent > declared) {
        this.fail(new Error(`request body is longer than its declared ${declared} bytes`));
        return;
      }
      let ok: boolean;
      if (chunked) {
        socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        ok = socket.write('\r\n');
        socket.uncork();
      } else {
        ok = socket.write(chunk);
      }
      if (!ok) body.pause();
    };
    const onDrain = (): void => {
      body.resume();
    };
    const onEnd = (): void => {
      detach();
      this.pumping = undefined;
      if (declared !== undefined && sent < declared) {
        this.fail(new Error(`request body ended after ${sent} of its declared ${declared} bytes`));
        return;
      }
      if (chunked) socket.write('0\r\n\r\n');
      this.requestDone = true;
      this.maybeRelease();
    };
    const onError = (err: Error): void => {
      detach();
      this.pumping = undefined;
      this.fail(err);
    };
    const detach = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      socket.off('drain', onDrain);
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    socket.on('drain', onDrain);
    this.pumping = { body, detach };
  }

  head(head: ResponseHead): void {
    if (this.finished) return;
    const response = new IncomingResponse(head, {
      resume: () => this.connection.resumeReading(),
      abandon: () => {
        if (!this.responseDone) this.fail(connectionClosed('response abandoned by its reader'));
      },
    });
    this.response = response;
    this.resolve(response);
  }

  body(chunk: Buffer): void {
    if (this.response && !this.response.destroyed && !this.response.push(chunk)) this.connection.pauseReading();
  }

  end(reusable: boolean): void {
    this.responseDone = true;
    this.reusable &&= reusable;
    const response = this.response;
    if (response && !response.destroyed) {
      response.complete = true;
      response.push(null);
    }
    if (!this.requestDone) {
      // The server answered before taking the whole body (an early 401 or 413): stop sending; the
      // rest of the body would be read as a new request, so this connection is done.
      this.reusable = false;
      this.stopPumping();
      this.requestDone = true;
    }
    // a reader that paused the socket must not leave a finished connection paused in the pool
    this.connection.resumeReading();
    this.maybeRelease();
  }

  /** The exchange cannot go on: the request is rejected, or the response body errors. */
  fail(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.stopPumping();
    this.streamBody = undefined;
    if (!this.response) this.reject(err);
    else if (!this.responseDone) this.response.destroy(err);
    this.connection.release(this, false);
  }

  private stopPumping(): void {
    const pumping = this.pumping;
    this.pumping = undefined;
    if (!pumping) return;
    pumping.detach();
    // We were reading it, so nobody else can: release whatever it holds (a file, a source download).
    pumping.body.destroy();
  }

  private maybeRelease(): void {
    if (this.finished || !this.requestDone || !this.responseDone) return;
    this.finished = true;
    this.connection.release(this, this.reusable);
  }
}

function serializeHead(request: OutgoingRequest, headers: Record<string, string>): string {
  let head = `${request.method} ${request.target} HTTP/1.1\r\nhost: ${request.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'host') continue;
    if (!TOKEN.test(name)) throw new TypeError(`invalid HTTP header name ${JSON.stringify(name)}`);
    // CR or LF in a value would let it start a header (or a request) of its own.
    if (/[\r\n\0]/.test(value)) throw new TypeError(`invalid character in HTTP header ${name}`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}
