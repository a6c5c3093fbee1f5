import type { Readable } from 'node:stream';
import type { TokenCache } from '../auth/token-cache.js';
import type { Keychain } from '../auth/types.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/**
 * A request body. A factory can be called again for a retry or a replay after an auth challenge;
 * a bare Readable cannot, so requests carrying one are never retried once the body started to flow.
 */
export type RequestBody = Uint8Array | string | Readable | (() => Readable);

export interface RegistryRequest {
  method: HttpMethod;
  /** A path below the registry root (`/v2/…`) or an absolute URL (an upload `Location`). */
  url: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Content-Length for stream bodies. */
  bodyLength?: number;
  /** Token scopes this request needs, e.g. `repository:library/alpine:pull`. */
  scopes?: string[];
  signal?: AbortSignal;
  /** Overrides the transport's per-request timeout (time to response headers, and idle time while reading). */
  timeoutMs?: number;
  /** Follow redirects (default true). Credentials are dropped whenever the origin changes. */
  followRedirects?: boolean;
}

export interface RegistryResponse {
  status: number;
  headers: Headers;
  /** The URL that produced this response, after redirects. */
  url: string;
  /** Streamed body; consume it, or call `dump()`, to free the connection for reuse. */
  body: Readable;
  text(limit?: number): Promise<string>;
  json<T = unknown>(limit?: number): Promise<T>;
  /** Reads the whole body, failing once it exceeds `limit` bytes. */
  bytes(limit?: number): Promise<Buffer>;
  dump(): Promise<void>;
}

export interface RetryOptions {
  /** Attempts after the first (default 3). */
  retries?: number;
  /** Base delay for exponential backoff with jitter, ms (default 200). */
  baseDelayMs?: number;
  /** Cap for a single delay, including a server's Retry-After, ms (default 30 000). */
  maxDelayMs?: number;
}

export interface DebugEvent {
  method: string;
  /** Already redacted. */
  url: string;
  status?: number;
  durationMs?: number;
  attempt?: number;
  note?: string;
}

export interface TransportOptions {
  keychain?: Keychain;
  /**
   * Registries that may be reached over plain HTTP (and with TLS verification off when HTTPS).
   * Loopback hosts are always allowed plain HTTP.
   */
  insecureRegistries?: readonly string[];
  retry?: RetryOptions;
  /** Per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
  userAgent?: string;
  /** Request log hook for `--debug`; receives redacted data only. */
  onDebug?: (event: DebugEvent) => void;
  /** Max sockets per registry origin (default 16). */
  connections?: number;
  /** Share bearer tokens between transports (e.g. a source and destination on the same registry). */
  tokenCache?: TokenCache;
}

/** Authenticated, retrying, redirect-safe HTTP access to one registry. */
export interface RegistryTransport {
  /** Normalised registry host[:port] (`docker.io`). */
  readonly registry: string;
  /** Base URL requests go to (`https://registry-1.docker.io`). */
  readonly baseUrl: string;
  request(req: RegistryRequest): Promise<RegistryResponse>;
  /** Closes pooled connections; idle sockets do not keep the process alive either way. */
  close?(): Promise<void>;
}
