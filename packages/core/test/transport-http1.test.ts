import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../src/errors/index.js';
import { createTransport } from '../src/transport/index.js';
import type { RegistryTransport } from '../src/transport/index.js';

/**
 * Our HTTP/1.1 client against servers that write exact bytes: framings node's own server never
 * produces (split chunk lines, trailers, bodies ended by close, interim 100s), and the ways a
 * response can be broken. Each test checks what the caller gets and whether the connection was
 * reused, counted by the server.
 */

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Connection number on the server, from 1. */
  connection: number;
  socket: Socket;
}

interface Scripted {
  host: string;
  connections: () => number;
  close: () => Promise<void>;
}

const servers: Array<Server | HttpServer> = [];
let transports: RegistryTransport[] = [];

afterEach(async () => {
  for (const t of transports) await t.close?.();
  transports = [];
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          s.close(() => r());
          if ('closeAllConnections' in s) s.closeAllConnections();
        }),
    ),
  );
});

/** A TCP server that reads request heads (and skips Content-Length bodies) and lets `answer` write raw bytes. */
async function scripted(answer: (req: RawRequest) => void): Promise<Scripted> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const id = ++count;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let skip = 0;
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        if (skip > 0) {
          const n = Math.min(skip, pending.length);
          skip -= n;
          pending = pending.subarray(n);
          if (skip > 0) return;
        }
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [line, ...fields] = pending.toString('latin1', 0, end).split('\r\n');
        pending = pending.subarray(end + 4);
        const headers = Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf(':')).toLowerCase(), f.slice(f.indexOf(':') + 1).trim()]));
        skip = Number(headers['content-length'] ?? 0);
        const [method, path] = line!.split(' ');
        answer({ method: method!, path: path!, headers, connection: id, socket });
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function transportFor(host: string, timeoutMs = 5_000): RegistryTransport {
  const t = createTransport(host, { retry: { retries: 0 }, timeoutMs });
  transports.push(t);
  return t;
}

function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `bytes` a few at a time, so every parser state has to resume across socket reads. */
async function dribble(socket: Socket, bytes: Buffer, piece = 3): Promise<void> {
  for (let i = 0; i < bytes.length; i += piece) {
    socket.write(bytes.subarray(i, i + piece));
    await new Promise((r) => setImmediate(r));
  }
}

describe('response framing', () => {
  it('decodes a chunked body split anywhere, with extensions and trailers, and reuses the connection', async () => {
    const body = randomBytes(70_000);
    const server = await scripted(({ socket }) => {
      const parts = [body.subarray(0, 1), body.subarray(1, 40_000), body.subarray(40_000)];
      const chunks = parts.map((p, i) => Buffer.concat([Buffer.from(`${p.length.toString(16)}${i === 1 ? ';name=value' : ''}\r\n`), p, Buffer.from('\r\n')]));
      const raw = Buffer.concat([
        Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n'),
        ...chunks,
        Buffer.from('0\r\nX-Trailer: ignored\r\n\r\n'),
      ]);
      void dribble(socket, raw, 997);
    });
    const t = transportFor(server.host);
    for (let i = 0; i < 2; i++) {
      const res = await t.request({ method: 'GET', url: '/v2/blob' });
      expect(res.status).toBe(200);
      expect(sha(await res.bytes())).toBe(sha(body));
    }
    expect(server.connections()).toBe(1);
  });

  it('skips an interim 100 Continue and reads the final answer', async () => {
    const server = await scripted(({ socket }) => {
      void dribble(socket, Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /v2/x\r\nContent-Length: 2\r\n\r\nok'));
    });
    const res = await transportFor(server.host).request({ method: 'PUT', url: '/v2/x', body: 'data' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/v2/x');
    expect(await res.text()).toBe('ok');
  });

  it('reads a body that ends with the connection, and does not reuse that connection', async () => {
    const server = await scripted(({ socket }) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    });
    const t = transportFor(server.host);
    expect(await (await t.request({ method: 'GET', url: '/a' })).text()).toBe('until the end');
    expect(await (await t.request({ method: 'GET', url: '/b' })).text()).toBe('until the end');
    expect(server.connections()).toBe(2);
  });

  it('reads no body after HEAD even with a Content-Length, and keeps the connection', async () => {
    const server = await scripted(({ socket, method }) => {
      socket.write(method === 'HEAD' ? 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nDocker-Content-Digest: sha256:abc\r\n\r\n' : 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nget');
    });
    const t = transportFor(server.host);
    const head = await t.request({ method: 'HEAD', url: '/m' });
    expect(head.headers.get('content-length')).toBe('1234');
    expect(head.headers.get('docker-content-digest')).toBe('sha256:abc');
    await head.dump();
    expect(await (await t.request({ method: 'GET', url: '/m' })).text()).toBe('get');
    expect(server.connections()).toBe(1);
  });

  it('joins repeated headers and unfolds continuation lines as node does', async () => {
    const server = await scripted(({ socket }) => {
      socket.write('HTTP/1.1 200 OK\r\nLink: </a>; rel="next"\r\nlink: </b>; rel="last"\r\nX-Folded: one\r\n  two\r\nContent-Length: 0\r\n\r\n');
    });
    const res = await transportFor(server.host).request({ method: 'GET', url: '/v2/' });
    expect(res.headers.get('link')).toBe('</a>; rel="next", </b>; rel="last"');
    expect(res.headers.get('x-folded')).toBe('one two');
  });

  it('closes a connection whose server said Connection: close', async () => {
    const server = await scripted(({ socket }) => {
      socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi');
    });
    const t = transportFor(server.host);
    await (await t.request({ method: 'GET', url: '/a' })).text();
    await (await t.request({ method: 'GET', url: '/b' })).text();
    expect(server.connections()).toBe(2);
  });
});

describe('broken responses', () => {
  it.each([
    ['conflicting Content-Length headers', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello', /conflicting Content-Length/],
    ['a status line that is not HTTP', 'SSH-2.0-OpenSSH_9.0\r\n\r\n', /not an HTTP\/1\.x status line/],
    ['an invalid chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', /invalid chunk size/],
  ])('%s fails with one clear line', async (_what, raw, message) => {
    const server = await scripted(({ socket }) => socket.write(raw));
    const attempt = async (): Promise<string> => (await transportFor(server.host).request({ method: 'GET', url: '/x' })).text();
    const err = await attempt().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(String((err as Error).message)).toMatch(message);
    expect(String((err as Error).message)).not.toContain('\n');
  });

  it('a body cut short by the server errors the reader instead of ending quietly', async () => {
    const server = await scripted(({ socket }) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this');
    });
    const res = await transportFor(server.host).request({ method: 'GET', url: '/x' });
    await expect(res.bytes()).rejects.toThrow(TransportError);
  });

  it('refuses a header value carrying CR/LF before anything is sent', async () => {
    const seen: string[] = [];
    const server = await scripted(({ path, socket }) => {
      seen.push(path);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    const t = transportFor(server.host);
    await expect(t.request({ method: 'GET', url: '/x', headers: { 'x-note': 'a\r\nInjected: yes' } })).rejects.toThrow(/invalid character in HTTP header x-note/);
    await (await t.request({ method: 'GET', url: '/after' })).dump();
    expect(seen).toEqual(['/after']);
  });
});

describe('request bodies', () => {
  async function echoServer(): Promise<{ host: string; got: () => Array<{ te?: string; cl?: string; sha: string }> }> {
    const got: Array<{ te?: string; cl?: string; sha: string }> = [];
    const server = createHttpServer((req, res) => {
      const h = createHash('sha256');
      req.on('data', (d: Buffer) => h.update(d));
      req.on('end', () => {
        got.push({ ...(req.headers['transfer-encoding'] ? { te: req.headers['transfer-encoding'] } : {}), ...(req.headers['content-length'] ? { cl: req.headers['content-length'] } : {}), sha: h.digest('hex') });
        res.writeHead(201, { 'content-length': '0' }).end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, got: () => got };
  }

  it('streams a body of unknown length as chunked, and one of known length with Content-Length (node:http reads both)', async () => {
    const server = await echoServer();
    const data = randomBytes(300_000);
    const t = transportFor(server.host);
    const pieces = (): Readable => Readable.from([data.subarray(0, 1000), data.subarray(1000, 1000), data.subarray(1000)]);
    await (await t.request({ method: 'PATCH', url: '/u', body: () => pieces() })).dump();
    await (await t.request({ method: 'PATCH', url: '/u', body: () => pieces(), bodyLength: data.length })).dump();
    await (await t.request({ method: 'PUT', url: '/u' })).dump();
    expect(server.got()).toEqual([
      { te: 'chunked', sha: sha(data) },
      { cl: String(data.length), sha: sha(data) },
      { cl: '0', sha: sha(Buffer.alloc(0)) },
    ]);
  });

  it('a stream body shorter than its declared length fails the request and the connection', async () => {
    const server = await echoServer();
    const t = transportFor(server.host);
    const err = await t.request({ method: 'PUT', url: '/u', body: () => Readable.from([Buffer.alloc(10)]), bodyLength: 20 }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/request body ended after 10 of its declared 20 bytes/);
    expect(server.got()).toEqual([]);
  });

  it('an answer that comes before the whole body stops the upload and retires the connection', async () => {
    let uploadDestroyed = false;
    const server = await scripted(({ socket, path }) => {
      if (path === '/big') socket.write('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const t = transportFor(server.host);
    // an endless body: only stopping it ends this test
    const endless = (): Readable =>
      new Readable({
        read() {
          setTimeout(() => this.push(Buffer.alloc(16 * 1024)), 1);
        },
        destroy(err, cb) {
          uploadDestroyed = true;
          cb(err);
        },
      });
    const res = await t.request({ method: 'PUT', url: '/big', body: () => endless(), bodyLength: 1 << 30 });
    expect(res.status).toBe(413);
    await res.dump();
    await expect.poll(() => uploadDestroyed).toBe(true);
    expect(await (await t.request({ method: 'GET', url: '/after' })).text()).toBe('ok');
    expect(server.connections()).toBe(2);
  });
});

describe('reading the socket', () => {
  it('stops reading while the reader is slow, and still hands over every byte in order', async () => {
    const body = randomBytes(24 * 1024 * 1024);
    let serverSocket: Socket | undefined;
    const server = await scripted(({ socket }) => {
      serverSocket = socket;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body);
    });
    const res = await transportFor(server.host).request({ method: 'GET', url: '/big' });
    // nobody reads for a while: the client's buffer stays bounded and the rest waits at the server
    await new Promise((r) => setTimeout(r, 300));
    expect(res.body.readableLength).toBeLessThanOrEqual(res.body.readableHighWaterMark + 1024 * 1024);
    expect(serverSocket!.writableLength).toBeGreaterThan(4 * 1024 * 1024);
    // chunks are kept until the end: had one shared the connection's read buffer, later reads would have overwritten it
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(sha(body));
  });
});

describe('connection reuse', () => {
  it('carries many exchanges on one connection without piling up listeners on it', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    const server = await scripted(({ socket }) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const t = transportFor(server.host);
    for (let i = 0; i < 30; i++) expect(await (await t.request({ method: 'GET', url: `/${i}` })).text()).toBe('ok');
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(server.connections()).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('replaces an idle connection the server closed without failing the next request', async () => {
    let closed = 0;
    const server = await scripted(({ socket }) => {
      socket.once('close', () => closed++);
      // the server drops keep-alive connections right after answering, without saying so
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const t = transportFor(server.host);
    expect(await (await t.request({ method: 'GET', url: '/a' })).text()).toBe('ok');
    await expect.poll(() => closed).toBe(1);
    // the client side's 'close' is handled in the same turn or the next: give it that turn
    await new Promise((r) => setTimeout(r, 20));
    expect(await (await t.request({ method: 'GET', url: '/b' })).text()).toBe('ok');
    expect(server.connections()).toBe(2);
  });

  it('holds requests beyond the per-origin limit until a connection frees up', async () => {
    let open = 0;
    let most = 0;
    const server = await scripted(({ socket }) => {
      open++;
      most = Math.max(most, open);
      setTimeout(() => {
        open--;
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      }, 20);
    });
    const t = createTransport(server.host, { retry: { retries: 0 }, connections: 2 });
    transports.push(t);
    const texts = await Promise.all(Array.from({ length: 6 }, async (_, i) => (await t.request({ method: 'GET', url: `/${i}` })).text()));
    expect(texts).toEqual(Array(6).fill('ok'));
    expect(most).toBe(2);
    expect(server.connections()).toBe(2);
  });
});
