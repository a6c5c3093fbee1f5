/**
 * A TCP proxy that makes loopback behave like a WAN link: one-way delay in each direction and a
 * per-connection throughput cap. Used for benchmarks (e.g. 20 ms each way, 200 Mbit/s).
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './listen.js';
import { ShapedPipe } from './shaped-pipe.js';
import { loopbackTarget, type ProxyTarget } from '../http/target.js';
import { track, untrack } from '../lifecycle/tracker.js';
import type { LoopbackEndpoint } from '../http/types.js';

export interface LinkShaperOptions {
  /** A TestRegistry (or any helper with a `url`), `http://127.0.0.1:PORT` or `127.0.0.1:PORT`; loopback only. */
  target: ProxyTarget;
  /** One-way delay added to each direction; default 0. */
  delayMs?: number;
  /** Throughput cap per TCP connection per direction; default unlimited. */
  bitsPerSecond?: number;
  /** Refuse connections beyond this many at once; default 64. */
  maxConnections?: number;
}

export interface LinkShaper extends LoopbackEndpoint {
  /** Totals over all connections so far. */
  stats(): { connections: number; bytesToTarget: number; bytesFromTarget: number };
}

export async function startLinkShaper(options: LinkShaperOptions): Promise<LinkShaper> {
  const target = loopbackTarget(options.target);
  const delayMs = options.delayMs ?? 0;
  const bytesPerSecond = (options.bitsPerSecond ?? 0) / 8;
  if (delayMs < 0 || delayMs > 10_000) throw new Error(`startLinkShaper: delayMs must be within 0..10000, got ${delayMs}`);
  if (bytesPerSecond < 0) throw new Error(`startLinkShaper: bitsPerSecond must be positive, got ${options.bitsPerSecond}`);
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytesToTarget = 0;
  let bytesFromTarget = 0;

  const server = createServer({ allowHalfOpen: true }, (client) => {
    connections++;
    const upstream = createConnection({ host: target.hostname, port: target.port, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    // Half-open sockets, so a FIN travels through the delay like data does instead of cutting off
    // bytes still in flight. Once both FINs are delivered, the sockets close on their own.
    const up = new ShapedPipe(client, upstream, { delayMs, bytesPerSecond });
    const down = new ShapedPipe(upstream, client, { delayMs, bytesPerSecond });
    let counted = false;
    const onClose = (): void => {
      if (!client.destroyed || !upstream.destroyed) return;
      if (counted) return;
      counted = true;
      up.close();
      down.close();
      bytesToTarget += up.bytes;
      bytesFromTarget += down.bytes;
      sockets.delete(client);
      sockets.delete(upstream);
    };
    const abort = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', abort).on('close', onClose);
    upstream.on('error', abort).on('close', onClose);
  });
  server.maxConnections = options.maxConnections ?? 64;
  const port = await listenOnLoopback(server);
  const shaper: LinkShaper = {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => ({ connections, bytesToTarget, bytesFromTarget }),
    async stop() {
      untrack(shaper);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
  return track(shaper);
}
