import { InsecureTransportError, TransportError, redactUrl } from '../errors/index.js';
import type { HttpMethod } from './types.js';

export const MAX_REDIRECTS = 10;

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Origins match when scheme, host AND port match (a different port is a different server). */
export function sameOrigin(a: URL | string, b: URL | string): boolean {
  return new URL(a).origin === new URL(b).origin;
}

export interface RedirectHop {
  url: URL;
  method: HttpMethod;
  /** 303, and 301/302 after POST, turn the request into a body-less GET as browsers and Go do. */
  keepBody: boolean;
}

/** Where a redirect leads; refuses https -> http and non-http schemes. */
export function nextHop(from: URL, status: number, location: string, method: HttpMethod): RedirectHop {
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    throw new TransportError(from.toString(), `redirect Location is not a valid URL`, { hint: 'the registry or a proxy in front of it is misbehaving' });
  }
  assertNoDowngrade(from, url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TransportError(from.toString(), `redirect to unsupported scheme ${url.protocol}`, { hint: 'the registry or a proxy in front of it is misbehaving' });
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && method === 'POST');
  if (toGet) return { url, method: method === 'HEAD' ? 'HEAD' : 'GET', keepBody: false };
  return { url, method, keepBody: true };
}

export function assertNoDowngrade(from: URL, to: URL): void {
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    throw new InsecureTransportError(`refusing to downgrade from ${redactUrl(from.toString())} to plain http ${redactUrl(to.toString())}`, {
      hint: 'the registry or a proxy sent an insecure URL; report it to its operator',
    });
  }
}

/** Headers that carry credentials and so never cross to another origin. */
export const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'] as const;
