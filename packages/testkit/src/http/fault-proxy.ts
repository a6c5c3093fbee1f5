/**
 * An HTTP reverse proxy in front of a registry that lets a test inject failures: 429 with
 * Retry-After, 503, reset sockets, garbage bodies, or pass the request through untouched.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../net/listen.js';
import { track, untrack } from '../lifecycle/tracker.js';
import { sendStatic } from './respond.js';
import { loopbackTarget, type ProxyTarget } from './target.js';
import type { LoopbackEndpoint, StaticResponse } from './types.js';

/**
 * What to do with one request:
 * - `undefined` or `'pass'`: forward to the target;
 * - `'reset'`: destroy the client socket without answering;
 * - a StaticResponse: answer with it (the target never sees the request);
 * - a function: handle the response yourself.
 */
export type FaultAction = undefined | 'pass' | 'reset' | StaticResponse | ((req: IncomingMessage, res: ServerResponse) => void);

/** `count` is 1 for the first request the proxy sees. */
export type FaultFn = (req: IncomingMessage, count: number) => FaultAction | Promise<FaultAction>;

export interface FaultProxyOptions {
  /** A TestRegistry (or any helper with a `url`), `http://127.0.0.1:PORT` or `127.0.0.1:PORT`; loopback only. */
  target: ProxyTarget;
  fault?: FaultFn;
}

export interface FaultProxyEvent {
  count: number;
  method: string;
  url: string;
  /** 'pass' when forwarded, otherwise which fault was injected. */
  action: 'pass' | 'reset' | 'static' | 'custom';
  status?: number;
  /** Request body bytes forwarded to the target (pass only). Sum over PATCH/PUT to see what an upload moved. */
  bytesToTarget: number;
  /** Response body bytes relayed back from the target (pass only). */
  bytesFromTarget: number;
}

export interface FaultProxy extends LoopbackEndpoint {
  /** Requests seen so far. */
  readonly count: number;
  events: FaultProxyEvent[];
}

// Hop-by-hop headers must not be forwarded by a proxy (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = loopbackTarget(options.target);
  const agent = new Agent({ keepAlive: true });
  const events: FaultProxyEvent[] = [];
  let count = 0;

  function forward(req: IncomingMessage, res: ServerResponse, event: FaultProxyEvent): void {
    // The Host header is kept so the registry builds Location URLs that point back at the proxy.
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent },
      (upRes) => {
        event.status = upRes.statusCode;
        upRes.on('data', (chunk: Buffer) => (event.bytesFromTarget += chunk.length));
        res.writeHead(upRes.statusCode ?? 502, endToEnd(upRes.headers));
        upRes.pipe(res);
        upRes.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) sendStatic(res, { status: 502, body: 'fault proxy: upstream failed' });
      else res.destroy();
    });
    req.on('data', (chunk: Buffer) => (event.bytesToTarget += chunk.length));
    req.pipe(upstream);
  }

  const server = createServer((req, res) => {
    const n = ++count;
    const event: FaultProxyEvent = { count: n, method: req.method ?? 'GET', url: req.url ?? '/', action: 'pass', bytesToTarget: 0, bytesFromTarget: 0 };
    events.push(event);
    void (async () => {
      const action = options.fault ? await options.fault(req, n) : undefined;
      if (action === undefined || action === 'pass') {
        forward(req, res, event);
      } else if (action === 'reset') {
        event.action = 'reset';
        req.socket.destroy();
      } else if (typeof action === 'function') {
        event.action = 'custom';
        action(req, res);
      } else {
        event.action = 'static';
        event.status = action.status;
        // Drain the request body so the client is not stuck writing an upload nobody reads.
        req.resume();
        sendStatic(res, action);
      }
    })().catch(() => req.socket.destroy());
  });
  const port = await listenOnLoopback(server);
  const proxy: FaultProxy = {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    port,
    get count() {
      return count;
    },
    events,
    async stop() {
      untrack(proxy);
      await closeServer(server);
      agent.destroy();
    },
  };
  return track(proxy);
}
