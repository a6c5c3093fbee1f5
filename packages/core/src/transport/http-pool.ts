import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

/** An agent and the request function that goes with its scheme. */
export interface HttpClient {
  agent: HttpAgent | HttpsAgent;
  request: typeof httpRequest;
}

export interface HttpPoolOptions {
  /** Max sockets per origin. */
  connections: number;
  /**
   * `host[:port]` whose https origin is reached without certificate verification (an insecure
   * registry); every other https origin, token realms and redirect targets included, is verified.
   */
  unverifiedHost?: string;
}

/**
 * Idle keep-alive sockets are closed after this long: shorter than the idle limits of the usual
 * load balancers in front of registries (60 s and up), so a reused socket is rarely a dead one.
 */
const FREE_SOCKET_TIMEOUT_MS = 30_000;

/**
 * Keep-alive connection pools for one transport, one per scheme (Node's agents already keep a
 * pool per origin inside). node:http is used rather than undici because it ships in Node's
 * start-up snapshot: loading undici cost ~0.1 s of every CLI run. The price: Node's parser copies
 * every body chunk, so a large download costs ~1.5x undici's client CPU (measured on loopback);
 * small requests, HEADs and uploads are as fast or faster.
 */
export class HttpPool {
  private readonly agents: Array<HttpAgent | HttpsAgent> = [];
  private http: HttpAgent | undefined;
  private https: HttpsAgent | undefined;
  private unverified: HttpsAgent | undefined;

  constructor(private readonly options: HttpPoolOptions) {}

  clientFor(url: URL): HttpClient {
    if (url.protocol === 'http:') return { agent: (this.http ??= this.track(new HttpAgent(this.agentOptions()))), request: httpRequest };
    // Loaded on first use: node:https pulls in node:tls, ~10 ms a loopback (plain http) run never needs.
    const https = process.getBuiltinModule('node:https');
    if (this.options.unverifiedHost !== undefined && url.host === this.options.unverifiedHost) {
      this.unverified ??= this.track(new https.Agent({ ...this.agentOptions(), rejectUnauthorized: false }));
      return { agent: this.unverified, request: https.request };
    }
    return { agent: (this.https ??= this.track(new https.Agent(this.agentOptions()))), request: https.request };
  }

  /**
   * Closes idle sockets now and every busy one as soon as its exchange ends, so requests still in
   * flight (or queued for a socket) complete instead of failing.
   */
  close(): void {
    for (const agent of this.agents) {
      // Node's agent destroys a freed socket instead of pooling it once keepAlive is off.
      Object.assign(agent, { keepAlive: false });
      for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
    }
  }

  private agentOptions() {
    return { keepAlive: true, maxSockets: this.options.connections, timeout: FREE_SOCKET_TIMEOUT_MS, scheduling: 'lifo' as const };
  }

  private track<A extends HttpAgent | HttpsAgent>(agent: A): A {
    this.agents.push(agent);
    return agent;
  }
}
