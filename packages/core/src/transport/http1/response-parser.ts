/**
 * An HTTP/1.1 response parser (RFC 9112) for one connection, fed socket chunks as they come.
 *
 * Why not node's parser: node:http copies every body chunk out of the socket's buffer before
 * handing it on (a fresh allocation per 64 KiB), which made a 256 MiB blob download cost ~1.5x
 * the CPU of reading the socket directly. Here a body chunk is a `subarray` of the socket's own
 * buffer, so a blob's bytes are copied once (kernel to user) on their way to the hash and the
 * destination.
 */

const CRLF_CRLF = Buffer.from('\r\n\r\n');
/** Status line plus headers; registries send well under 8 KiB, node allows 16 KiB. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4 * 1024;

export type ResponseHeaderMap = Record<string, string | string[]>;

export interface ResponseHead {
  status: number;
  statusText: string;
  /** `1.0` or `1.1`. */
  version: string;
  /** Lower-cased names; repeats joined with ", " (set-cookie kept as a list), as node:http does. */
  headers: ResponseHeaderMap;
}

export interface ParserEvents {
  head(head: ResponseHead): void;
  /** A slice of the socket's buffer: consume or keep it, the parser never writes to it. */
  body(chunk: Buffer): void;
  /** The body is complete; `reusable` tells whether the connection may carry another exchange. */
  end(reusable: boolean): void;
}

/** A response that breaks the protocol; the connection it came on is unusable. */
export class HttpParseError extends Error {
  readonly code = 'NEXTDEPLOY_HTTP_PARSE';
}

type State =
  | { kind: 'head' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-crlf'; remaining: number }
  | { kind: 'trailers' }
  | { kind: 'until-close' }
  | { kind: 'done' };

export class ResponseParser {
  private state: State = { kind: 'done' };
  private pending: Buffer | undefined;
  private bodyless = false;
  private keepAlive = false;

  constructor(private readonly events: ParserEvents) {}

  /** Arms the parser for the response to the request just sent. */
  expect(options: { bodyless: boolean }): void {
    this.state = { kind: 'head' };
    this.pending = undefined;
    this.bodyless = options.bodyless;
  }

  /** True while a response is expected or still arriving. */
  get active(): boolean {
    return this.state.kind !== 'done';
  }

  /** True once the body may only end with the connection (no length, not chunked). */
  get readsUntilClose(): boolean {
    return this.state.kind === 'until-close';
  }

  /** Feeds socket bytes; throws HttpParseError on a malformed response. */
  execute(data: Buffer): void {
    let buf = this.pending ? Buffer.concat([this.pending, data]) : data;
    this.pending = undefined;
    while (buf.length > 0) {
      const { state } = this;
      switch (state.kind) {
        case 'done':
          throw new HttpParseError(`unexpected ${buf.length} bytes after the response`);
        case 'head': {
          const end = buf.indexOf(CRLF_CRLF);
          if (end < 0) {
            if (buf.length > MAX_HEAD_BYTES) throw new HttpParseError(`response headers exceed ${MAX_HEAD_BYTES} bytes`);
            this.pending = buf;
            return;
          }
          this.onHead(buf.toString('latin1', 0, end));
          buf = buf.subarray(end + 4);
          if (this.state.kind === 'done') return this.finish(buf.length === 0);
          break;
        }
        case 'length':
          buf = this.takeBody(buf, state);
          if (state.remaining === 0) return this.finish(buf.length === 0);
          break;
        case 'until-close':
          this.events.body(buf);
          return;
        case 'chunk-size': {
          const line = this.takeLine(buf, MAX_CHUNK_LINE_BYTES, 'chunk size line');
          if (!line) return;
          buf = line.rest;
          const size = parseChunkSize(line.text);
          this.state = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', remaining: size };
          break;
        }
        case 'chunk-data':
          buf = this.takeBody(buf, state);
          if (state.remaining === 0) this.state = { kind: 'chunk-crlf', remaining: 2 };
          break;
        case 'chunk-crlf': {
          const expected = state.remaining === 2 ? 0x0d : 0x0a;
          if (buf[0] !== expected) throw new HttpParseError('chunk data not followed by CRLF');
          buf = buf.subarray(1);
          state.remaining -= 1;
          if (state.remaining === 0) this.state = { kind: 'chunk-size' };
          break;
        }
        case 'trailers': {
          // Trailer fields are read past and dropped: nothing a registry client needs comes there.
          const line = this.takeLine(buf, MAX_HEAD_BYTES, 'trailer section');
          if (!line) return;
          buf = line.rest;
          if (line.text === '') return this.finish(buf.length === 0);
          break;
        }
      }
    }
  }

  /** Hands on up to `state.remaining` body bytes (a slice, no copy) and returns what follows them. */
  private takeBody(buf: Buffer, state: { remaining: number }): Buffer {
    const take = Math.min(state.remaining, buf.length);
    state.remaining -= take;
    this.events.body(buf.subarray(0, take));
    return buf.subarray(take);
  }

  /** One CRLF-terminated line off the front of `buf`, or undefined (kept pending) until it is complete. */
  private takeLine(buf: Buffer, limit: number, what: string): { text: string; rest: Buffer } | undefined {
    const nl = buf.indexOf(0x0a);
    if (nl < 0) {
      if (buf.length > limit) throw new HttpParseError(`${what} longer than ${limit} bytes`);
      this.pending = buf;
      return undefined;
    }
    return { text: buf.toString('latin1', 0, nl).replace(/\r$/, ''), rest: buf.subarray(nl + 1) };
  }

  /** The connection closed: completes a read-until-close body; anything else in progress is cut off. */
  close(): { complete: boolean } {
    if (this.state.kind === 'until-close') {
      this.state = { kind: 'done' };
      this.events.end(false);
      return { complete: true };
    }
    return { complete: this.state.kind === 'done' };
  }

  private onHead(text: string): void {
    const head = parseHead(text);
    // 1xx interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) return;
    this.keepAlive = wantsKeepAlive(head);
    this.state = this.bodyState(head);
    this.events.head(head);
  }

  /** RFC 9112 §6.3: how this response's body is delimited. */
  private bodyState(head: ResponseHead): State {
    if (this.bodyless || head.status === 101 || head.status === 204 || head.status === 304) return { kind: 'done' };
    const te = head.headers['transfer-encoding'];
    if (te !== undefined) {
      const codings = String(te).toLowerCase().split(',').map((c) => c.trim());
      return codings.at(-1) === 'chunked' ? { kind: 'chunk-size' } : { kind: 'until-close' };
    }
    const cl = head.headers['content-length'];
    if (cl !== undefined) {
      const length = parseContentLength(String(cl));
      return length === 0 ? { kind: 'done' } : { kind: 'length', remaining: length };
    }
    return { kind: 'until-close' };
  }

  /** Bytes after a complete response were never asked for: they are dropped, and so is the connection. */
  private finish(nothingLeft: boolean): void {
    this.state = { kind: 'done' };
    this.events.end(this.keepAlive && nothingLeft);
  }
}

function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!statusLine) throw new HttpParseError(`not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? '').slice(0, 40))}`);
  const headers: ResponseHeaderMap = {};
  let last: string | undefined;
  for (const line of lines.slice(1)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // obsolete line folding: a continuation of the previous field's value
      if (last === undefined) throw new HttpParseError('header continuation without a header');
      const prev = headers[last]!;
      headers[last] = Array.isArray(prev) ? [...prev.slice(0, -1), `${prev.at(-1)} ${line.trim()}`] : `${prev} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpParseError(`malformed header line: ${JSON.stringify(line.slice(0, 40))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    addHeader(headers, name, value);
    last = name;
  }
  return { status: Number(statusLine[2]), statusText: statusLine[3] ?? '', version: statusLine[1]!, headers };
}

function addHeader(headers: ResponseHeaderMap, name: string, value: string): void {
  const prev = headers[name];
  if (name === 'set-cookie') {
    headers[name] = prev === undefined ? [value] : [...(prev as string[]), value];
  } else if (prev === undefined) {
    headers[name] = value;
  } else if (name === 'content-length') {
    // Two different lengths is how response smuggling starts; the same one twice is harmless.
    if (prev !== value) throw new HttpParseError('conflicting Content-Length headers');
  } else {
    headers[name] = `${prev as string}, ${value}`;
  }
}

function parseContentLength(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new HttpParseError(`invalid Content-Length ${JSON.stringify(raw.slice(0, 20))}`);
  return Number(raw);
}

function parseChunkSize(line: string): number {
  const hex = line.split(';', 1)[0]!.trim();
  if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new HttpParseError(`invalid chunk size ${JSON.stringify(hex.slice(0, 20))}`);
  return parseInt(hex, 16);
}

function wantsKeepAlive(head: ResponseHead): boolean {
  const tokens = String(head.headers.connection ?? '')
    .toLowerCase()
    .split(',')
    .map((t) => t.trim());
  if (tokens.includes('close')) return false;
  return head.version === '1.1' || tokens.includes('keep-alive');
}
