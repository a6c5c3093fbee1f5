import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { abortReason } from '../retry.js';
import { Http1Connection } from './connection.js';

export interface ConnectionPoolOptions {
  /** Max connections per origin. */
  connections: number;
  /**
   * `host[:port]` whose https origin is reached without certificate verification (an insecure
   * registry); every other https origin, token realms and redirect targets included, is verified.
   */
  unverifiedHost?: string;
}

/**
 * Idle keep-alive connections are closed after this long: shorter than the idle limits of the usual
 * load balancers in front of registries (60 s and up), so a reused connection is rarely a dead one.
 */
const IDLE_TIMEOUT_MS = 30_000;
/**
 * Plain TCP sockets read straight into slabs of this size (see ReadSlab), each read into at least
 * MIN_READ_BYTES of free slab. Pulling 8 x 32 MiB into a layout (10 alternating rounds, medians):
 * 2 MiB / 256 KiB 599 ms, 1 MiB / 1 MiB 625 ms, 4 MiB / 512 KiB 627 ms; copying each read out of
 * one fixed 1 MiB buffer 628 ms; node's own 64 KiB reads 796 ms. One 256 MiB layer: 525 ms here
 * against 560 ms copying out.
 */
const SLAB_BYTES = 2 * 1024 * 1024;
const MIN_READ_BYTES = 256 * 1024;

/**
 * Where a plain TCP connection's reads land. Node's own reads allocate 64 KiB each and copy any
 * shorter read into a second allocation; here each read goes into the free tail of a large slab
 * and is handed on as a view of it, with no copy and one allocation per slab. One read takes
 * whatever the kernel has, so a fast download arrives in fewer, larger chunks, each costing every
 * stream stage, the hash and the file write once. A slab is freed once nobody holds a chunk of it.
 */
class ReadSlab {
  private slab = Buffer.allocUnsafeSlow(0);
  private used = 0;

  /** The memory the next read goes into. */
  readonly next = (): Buffer => {
    if (this.slab.length - this.used < MIN_READ_BYTES) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    return this.slab.subarray(this.used);
  };

  /** The `n` bytes the last read put into `next()`'s memory, now the reader's to keep. */
  take(n: number, into: Uint8Array): Buffer {
    this.used += n;
    return Buffer.from(into.buffer, into.byteOffset, n);
  }
}

/** TCP keep-alive probes on connections that sit idle (as node's http agent sets them). */
const TCP_KEEPALIVE_MS = 1_000;

/** Connections to one origin: the idle ones (last used first) and the requests waiting for one. */
interface Origin {
  key: string;
  url: URL;
  live: number;
  idle: Http1Connection[];
  waiting: Array<(c: Http1Connection) => void>;
  /** The last TLS session, so the next connection resumes it instead of a full handshake. */
  tlsSession?: Buffer;
}

/**
 * Keep-alive HTTP/1.1 connection pools, one per origin, at most `connections` each; requests beyond
 * that wait in arrival order. Built on net/tls sockets with our own parser (see response-parser.ts
 * for why not node:http), which also keeps node:http's agent machinery out of CLI start-up.
 */
export class ConnectionPool {
  private readonly origins = new Map<string, Origin>();
  private closing = false;

  constructor(private readonly options: ConnectionPoolOptions) {}

  /** A connection to `url`'s origin: an idle one, a new one, or the next one freed. */
  acquire(url: URL, signal: AbortSignal | undefined): Promise<Http1Connection> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const origin = this.origin(url);
    while (origin.idle.length > 0) {
      const idle = origin.idle.pop()!;
      if (idle.usable) return Promise.resolve(this.activate(idle));
    }
    if (origin.live < this.options.connections) return Promise.resolve(this.open(origin));
    return new Promise((resolve, reject) => {
      const waiter = (c: Http1Connection): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(c);
      };
      const onAbort = (): void => {
        const i = origin.waiting.indexOf(waiter);
        if (i >= 0) origin.waiting.splice(i, 1);
        reject(abortReason(signal!));
      };
      origin.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Closes idle connections now and every busy one as soon as its exchange ends, so requests still
   * in flight (or waiting for a connection) complete instead of failing.
   */
  close(): void {
    this.closing = true;
    for (const origin of this.origins.values()) {
      for (const c of origin.idle.splice(0)) c.destroy();
    }
  }

  private origin(url: URL): Origin {
    const key = `${url.protocol}//${url.host}`;
    let origin = this.origins.get(key);
    if (!origin) {
      origin = { key, url, live: 0, idle: [], waiting: [] };
      this.origins.set(key, origin);
    }
    return origin;
  }

  private activate(connection: Http1Connection): Http1Connection {
    connection.socket.setTimeout(0);
    connection.socket.ref();
    return connection;
  }

  private open(origin: Origin): Http1Connection {
    origin.live++;
    let connection: Http1Connection | undefined;
    const { socket, ready } = this.connect(origin, (data) => connection?.received(data));
    socket.setNoDelay(true);
    socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    // armed only while idle (see free), so this is the idle limit, never a request timeout
    socket.on('timeout', () => socket.destroy());
    connection = new Http1Connection(socket, ready, (c, reusable) => this.free(origin, c, reusable));
    socket.once('close', () => {
      origin.live--;
      const i = origin.idle.indexOf(connection);
      if (i >= 0) origin.idle.splice(i, 1);
      // a slot opened up: the next waiter gets a fresh connection
      this.serveWaiter(origin);
    });
    return connection;
  }

  /** `received` gets what a plain TCP socket reads (a TLS socket emits 'data' as usual). */
  private connect(origin: Origin, received: (data: Buffer) => void): { socket: Socket; ready: 'connect' | 'secureConnect' } {
    const { url } = origin;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (url.protocol === 'http:') {
      const slab = new ReadSlab();
      const onread = {
        buffer: slab.next,
        callback: (n: number, into: Uint8Array): boolean => {
          received(slab.take(n, into));
          // keep reading; backpressure pauses the socket itself (Http1Connection.pauseReading)
          return true;
        },
      };
      return { socket: netConnect({ host, port: Number(url.port || 80), onread }), ready: 'connect' };
    }
    // Loaded on first use: node:tls is ~10 ms a loopback (plain http) run never needs.
    const tls = process.getBuiltinModule('node:tls');
    const options: ConnectionOptions = {
      host,
      port: Number(url.port || 443),
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: this.options.unverifiedHost === undefined || url.host !== this.options.unverifiedHost,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(origin.tlsSession ? { session: origin.tlsSession } : {}),
    };
    const socket: TLSSocket = tls.connect(options);
    socket.on('session', (session: Buffer) => {
      origin.tlsSession = session;
    });
    return { socket, ready: 'secureConnect' };
  }

  private free(origin: Origin, connection: Http1Connection, reusable: boolean): void {
    const waiter = reusable ? origin.waiting.shift() : undefined;
    if (waiter) {
      waiter(connection);
      return;
    }
    if (!reusable || this.closing) {
      connection.destroy();
      return;
    }
    // Idle: must not keep the process alive, and is closed after a while.
    connection.socket.unref();
    connection.socket.setTimeout(IDLE_TIMEOUT_MS);
    origin.idle.push(connection);
  }

  private serveWaiter(origin: Origin): void {
    if (origin.waiting.length === 0 || origin.live >= this.options.connections) return;
    origin.waiting.shift()!(this.open(origin));
  }
}
