import { Readable } from 'node:stream';
import { AuthSession } from '../auth/session.js';
import type { TokenHttp } from '../auth/token-client.js';
import { NextdeployError, RegistryError, TransportError, redactUrl } from '../errors/index.js';
import { normalizeRegistry, registryApiHost } from '../reference/hosts.js';
import { isOneShot, prepareBody, type PreparedBody } from './body.js';
import { ConnectionPool } from './http1/connection-pool.js';
import { errorCodes, isRetryableNetworkError, isTlsProtocolError, toTransportError } from './network-errors.js';
import { CREDENTIAL_HEADERS, MAX_REDIRECTS, assertNoDowngrade, isRedirect, nextHop } from './redirect.js';
import { ResponseHeaders } from './response-headers.js';
import { wrapResponse } from './response.js';
import { DEFAULT_RETRY, abortReason, backoffDelay, isRetryableStatus, parseRetryAfter, sleep, throwIfAborted } from './retry.js';
import { rememberScheme, rememberedScheme, schemeMode, type SchemeMode } from './scheme.js';
import { sendRequest } from './send-request.js';
import type { DebugEvent, HttpMethod, RegistryRequest, RegistryResponse, RegistryTransport, RetryOptions, TransportOptions } from './types.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_CONNECTIONS = 16;
export const DEFAULT_USER_AGENT = 'nextdeploy-tui';

/** One request as it goes through retries and redirects. */
interface Exchange {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body: PreparedBody;
  hasBody: boolean;
  /** The body is a factory, so each send gets a stream of its own. */
  freshStreams: boolean;
  bodyLength: number | undefined;
  /** `Authorization` for `credentialOrigin`; never sent anywhere else. */
  authorization: string | undefined;
  /** The only origin credentials (ours and credential headers the caller set) may reach. */
  credentialOrigin: string;
  followRedirects: boolean;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

interface Outcome {
  res: RegistryResponse;
  /** The final hop went to the credential origin (so a 401 there is about our credentials). */
  credentialed: boolean;
}

/** The RegistryTransport: keep-alive HTTP/1.1 pools per origin, auth, retries and safe redirects. */
export class HttpRegistryTransport implements RegistryTransport {
  readonly registry: string;
  private readonly apiHost: string;
  private readonly mode: SchemeMode;
  private scheme: 'https' | 'http' | undefined;
  private probing: Promise<void> | undefined;
  private pinged = false;
  private readonly pool: ConnectionPool;
  private readonly auth: AuthSession;
  private readonly retry: Required<RetryOptions>;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly onDebug: ((event: DebugEvent) => void) | undefined;

  constructor(registry: string, options: TransportOptions = {}) {
    this.registry = normalizeRegistry(registry);
    this.apiHost = registryApiHost(this.registry).toLowerCase();
    this.mode = schemeMode(this.registry, options.insecureRegistries);
    this.scheme = this.mode === 'probe' ? rememberedScheme(this.apiHost) : this.mode;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.onDebug = options.onDebug;
    this.pool = new ConnectionPool({
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      // TLS without verification, only ever for the registry's own origin when it is listed insecure.
      ...(this.mode === 'probe' ? { unverifiedHost: this.apiHost } : {}),
    });
    this.auth = new AuthSession({
      registry: this.registry,
      keychain: options.keychain,
      http: this.tokenHttp,
      tokenCache: options.tokenCache,
      registryInsecure: () => this.mode !== 'https' || this.scheme === 'http',
    });
  }

  get baseUrl(): string {
    return `${this.scheme ?? 'https'}://${this.apiHost}`;
  }

  async request(req: RegistryRequest): Promise<RegistryResponse> {
    const { signal } = req;
    throwIfAborted(signal);
    await this.ready(signal);
    const url = this.resolve(req.url);
    const scopes = req.scopes ?? [];
    // A one-shot stream cannot be replayed after a 401, so learn the challenge before sending it.
    if (isOneShot(req.body) && !this.auth.knowsChallenge && !this.pinged) await this.ping(signal);
    const exchange: Exchange = {
      method: req.method,
      url,
      headers: { ...req.headers },
      body: prepareBody(req.body),
      hasBody: req.body !== undefined,
      freshStreams: typeof req.body === 'function',
      bodyLength: req.bodyLength,
      authorization: await this.auth.authorize(scopes, signal),
      credentialOrigin: new URL(this.baseUrl).origin,
      followRedirects: req.followRedirects !== false,
      timeoutMs: req.timeoutMs ?? this.timeoutMs,
      signal,
    };
    let out = await this.attempts(exchange);
    if (out.res.status !== 401 || !out.credentialed) return out.res;

    const next = await this.auth.unauthorized(out.res.headers.get('www-authenticate'), scopes, exchange.authorization, signal);
    if (next !== undefined && exchange.body.replayable()) {
      await out.res.dump();
      exchange.authorization = next;
      out = await this.attempts(exchange);
      if (out.res.status !== 401 || !out.credentialed) return out.res;
    }
    const code = await errorCode(out.res);
    throw await this.auth.denied(401, code, scopes, exchange.authorization, signal);
  }

  async close(): Promise<void> {
    this.pool.close();
  }

  /** Token requests: same pools, retries and redirect rules, credentials only for the realm's origin. */
  private readonly tokenHttp: TokenHttp = async (r) => {
    const url = new URL(r.url);
    const out = await this.attempts({
      method: r.method,
      url,
      headers: r.headers,
      body: prepareBody(r.body),
      hasBody: r.body !== undefined,
      freshStreams: false,
      bodyLength: undefined,
      authorization: undefined,
      credentialOrigin: url.origin,
      followRedirects: true,
      timeoutMs: this.timeoutMs,
      signal: r.signal,
    });
    return out.res;
  };

  private resolve(target: string): URL {
    const base = new URL(this.baseUrl);
    let url: URL;
    try {
      url = new URL(target, base);
    } catch {
      throw new TransportError(target, 'not a valid request URL', { hint: 'this is a bug in the caller' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TransportError(url.toString(), `unsupported URL scheme ${url.protocol}`, { hint: 'the registry sent a Location that is not http(s)' });
    }
    // An absolute URL the registry handed us (upload Location) must not drop us to plain http.
    assertNoDowngrade(base, url);
    return url;
  }

  /** Settles the scheme of an insecure registry once: unverified https if it speaks TLS, else http. */
  private async ready(signal: AbortSignal | undefined): Promise<void> {
    if (this.scheme) return;
    this.probing ??= this.probe().finally(() => {
      this.probing = undefined;
    });
    await raceAbort(this.probing, signal);
  }

  private async probe(): Promise<void> {
    const url = new URL(`https://${this.apiHost}/v2/`);
    try {
      const res = await this.send('GET', url, this.baseHeaders({}), undefined, undefined, this.timeoutMs, 1);
      this.learnFrom(res);
      await res.dump();
      this.scheme = 'https';
    } catch (err) {
      if (!isTlsProtocolError(err)) throw toTransportError(err, url.toString(), this.timeoutMs);
      this.debug({ method: 'GET', url: redactUrl(url.toString()), note: 'no TLS here; falling back to plain http for this insecure registry' });
      this.scheme = 'http';
    }
    rememberScheme(this.apiHost, this.scheme);
  }

  private async ping(signal: AbortSignal | undefined): Promise<void> {
    const url = new URL('/v2/', this.baseUrl);
    const out = await this.attempts({
      method: 'GET',
      url,
      headers: {},
      body: prepareBody(undefined),
      hasBody: false,
      freshStreams: false,
      bodyLength: undefined,
      authorization: undefined,
      credentialOrigin: url.origin,
      followRedirects: false,
      timeoutMs: this.timeoutMs,
      signal,
    });
    this.learnFrom(out.res);
    await out.res.dump();
    this.pinged = true;
  }

  private learnFrom(res: RegistryResponse): void {
    if (res.status === 401) this.auth.observe(res.headers.get('www-authenticate'));
  }

  /** Sends with retries on rate limits, gateway errors and dropped connections. */
  private async attempts(ex: Exchange): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      const canRetry = (): boolean => attempt <= this.retry.retries && ex.body.replayable();
      try {
        const out = await this.follow(ex, attempt);
        const { status } = out.res;
        if (!isRetryableStatus(status) || !canRetry()) return out;
        const delay = backoffDelay(attempt, this.retry, parseRetryAfter(out.res.headers.get('retry-after')));
        this.debug({ method: ex.method, url: redactUrl(out.res.url), status, attempt, note: `retrying in ${delay}ms` });
        await out.res.dump();
        await sleep(delay, ex.signal);
      } catch (err) {
        if (ex.signal?.aborted) throw abortReason(ex.signal);
        if (err instanceof NextdeployError || !isRetryableNetworkError(err) || !canRetry()) {
          throw toTransportError(err, ex.url.toString(), ex.timeoutMs);
        }
        const delay = backoffDelay(attempt, this.retry);
        this.debug({ method: ex.method, url: redactUrl(ex.url.toString()), attempt, note: `${errorCodes(err)[0] ?? 'connection error'}; retrying in ${delay}ms` });
        await sleep(delay, ex.signal);
      }
    }
  }

  /** Follows redirects by hand so credentials are decided per hop, by origin. */
  private async follow(ex: Exchange, attempt: number): Promise<Outcome> {
    let url = ex.url;
    let method = ex.method;
    let withBody = ex.hasBody;
    for (let hops = 0; ; hops++) {
      const credentialed = url.origin === ex.credentialOrigin;
      const headers = this.baseHeaders(ex.headers);
      if (!credentialed) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      else if (ex.authorization) headers.authorization = ex.authorization;
      if (withBody && ex.bodyLength !== undefined) headers['content-length'] = String(ex.bodyLength);
      const payload = withBody ? ex.body.open() : undefined;
      let res: RegistryResponse;
      try {
        res = await this.send(method, url, headers, payload, ex.signal, ex.timeoutMs, attempt);
      } catch (err) {
        // A stream the factory opened for this send alone must not stay open (it may hold a file or a socket).
        if (ex.freshStreams && payload instanceof Readable) payload.destroy();
        throw err;
      }
      const location = res.headers.get('location');
      if (!ex.followRedirects || !isRedirect(res.status) || !location) return { res, credentialed };

      await res.dump();
      if (hops + 1 > MAX_REDIRECTS) {
        throw new TransportError(ex.url.toString(), `more than ${MAX_REDIRECTS} redirects`, { hint: 'the registry or a proxy is redirecting in a loop' });
      }
      const hop = nextHop(url, res.status, location, method);
      if (hop.keepBody && withBody && !ex.body.replayable()) {
        throw new TransportError(url.toString(), `cannot follow a ${res.status} redirect with a streamed request body`, {
          hint: 'pass the body as a stream factory so it can be sent again',
        });
      }
      this.debug({ method, url: redactUrl(url.toString()), status: res.status, attempt, note: `redirect to ${redactUrl(hop.url.toString())}` });
      url = hop.url;
      method = hop.method;
      withBody = withBody && hop.keepBody;
    }
  }

  private async send(
    method: HttpMethod,
    url: URL,
    headers: Record<string, string>,
    body: string | Uint8Array | Readable | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    attempt: number,
  ): Promise<RegistryResponse> {
    const started = performance.now();
    const safeUrl = redactUrl(url.toString());
    try {
      const message = await sendRequest({ method, url, headers, body, signal, timeoutMs, pool: this.pool });
      const status = message.statusCode;
      const durationMs = Math.round(performance.now() - started);
      this.debug({ method, url: safeUrl, status, durationMs, attempt });
      return wrapResponse({ status, headers: new ResponseHeaders(message.headers), url: url.toString(), body: message, timeoutMs });
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      this.debug({ method, url: safeUrl, durationMs, attempt, note: `failed: ${errorCodes(err)[0] ?? 'error'}` });
      throw err;
    }
  }

  private baseHeaders(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
    return headers;
  }

  private debug(event: DebugEvent): void {
    if (!this.onDebug) return;
    try {
      this.onDebug(event);
    } catch {
      // a broken log hook must not break a transfer
    }
  }
}

/** The spec error code of a refused response, for the one-line message. */
async function errorCode(res: RegistryResponse): Promise<string> {
  const body = await res.text(64 * 1024).catch(() => '');
  return RegistryError.parseBody(body)[0]?.code ?? 'UNAUTHORIZED';
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

