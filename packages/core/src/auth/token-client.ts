import { AuthenticationError, RegistryError, redactUrl } from '../errors/index.js';
import type { AuthChallenge } from './challenge.js';
import { mayCarryCredentials, validateRealm } from './realm.js';
import type { BearerToken } from './token-cache.js';
import type { AuthConfig } from './types.js';
import { basicAuthorization } from './basic.js';
import { loginHint } from './messages.js';

/** The minimal HTTP the token exchange needs; the transport supplies it with its retries and timeouts. */
export interface TokenHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}
export interface TokenHttpResponse {
  status: number;
  text(limit?: number): Promise<string>;
}
export type TokenHttp = (req: TokenHttpRequest) => Promise<TokenHttpResponse>;

export interface FetchTokenOptions {
  registry: string;
  challenge: AuthChallenge;
  scopes: readonly string[];
  auth: AuthConfig;
  http: TokenHttp;
  registryInsecure: boolean;
  signal?: AbortSignal;
}

/** Sent as OAuth2 `client_id`; token services log it. */
export const OAUTH_CLIENT_ID = 'nextdeploy-tui';
const DEFAULT_EXPIRES_IN_S = 60;
const TOKEN_BODY_LIMIT = 1024 * 1024;

/**
 * Exchanges credentials for a bearer token at the challenge's realm: OAuth2 refresh-token POST for
 * identity tokens, otherwise the docker GET with optional Basic credentials, falling back to an
 * OAuth2 password POST when a realm only speaks OAuth2 (answers the GET with 404/405).
 */
export async function fetchBearerToken(opts: FetchTokenOptions): Promise<BearerToken> {
  const { registry, challenge, scopes, auth } = opts;
  const realm = validateRealm(registry, challenge.params.realm, { registryInsecure: opts.registryInsecure });
  const service = challenge.params.service;
  const hasPassword = !!auth.username && auth.password !== undefined && auth.password !== '';
  const sendsSecrets = !!auth.identityToken || hasPassword;
  if (sendsSecrets && !mayCarryCredentials(realm)) {
    throw new AuthenticationError(registry, `refusing to send credentials to token service ${realm.origin} over plain http`, {
      hint: 'serve the token realm over https',
    });
  }

  if (auth.identityToken) {
    const form = oauthForm(service, scopes, { grant_type: 'refresh_token', refresh_token: auth.identityToken });
    const res = await post(opts, realm, form);
    return readToken(opts, realm, res, 'identity');
  }

  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  for (const s of scopes) url.searchParams.append('scope', s);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (hasPassword) headers.authorization = basicAuthorization(auth.username!, auth.password!);
  let res = await opts.http({ method: 'GET', url: url.toString(), headers, signal: opts.signal });
  if (hasPassword && (res.status === 404 || res.status === 405)) {
    await res.text(TOKEN_BODY_LIMIT).catch(() => '');
    const form = oauthForm(service, scopes, { grant_type: 'password', username: auth.username!, password: auth.password! });
    res = await post(opts, realm, form);
  }
  return readToken(opts, realm, res, hasPassword ? 'password' : 'anonymous');
}

function oauthForm(service: string | undefined, scopes: readonly string[], grant: Record<string, string>): URLSearchParams {
  const form = new URLSearchParams(grant);
  if (service) form.set('service', service);
  // OAuth2 (RFC 6749 §3.3) joins scopes with spaces in a single parameter
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  form.set('client_id', OAUTH_CLIENT_ID);
  return form;
}

function post(opts: FetchTokenOptions, realm: URL, form: URLSearchParams): Promise<TokenHttpResponse> {
  return opts.http({
    method: 'POST',
    url: realm.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    signal: opts.signal,
  });
}

interface TokenBody {
  token?: unknown;
  access_token?: unknown;
  expires_in?: unknown;
  issued_at?: unknown;
}

async function readToken(
  opts: FetchTokenOptions,
  realm: URL,
  res: TokenHttpResponse,
  kind: 'identity' | 'password' | 'anonymous',
): Promise<BearerToken> {
  const { registry, auth } = opts;
  const text = await res.text(TOKEN_BODY_LIMIT);
  if (res.status === 401 || res.status === 403) {
    const code = RegistryError.parseBody(text)[0]?.code ?? (res.status === 401 ? 'UNAUTHORIZED' : 'DENIED');
    if (kind === 'password') {
      throw new AuthenticationError(registry, `credentials for ${auth.username} were rejected (${res.status} ${code})`, {
        hint: `check the password or ${loginHint(registry)}`,
      });
    }
    if (kind === 'identity') {
      throw new AuthenticationError(registry, `the saved identity token was rejected (${res.status} ${code})`, {
        hint: `it may have expired; ${loginHint(registry)}`,
      });
    }
    throw new AuthenticationError(registry, `the token service refused anonymous access (${res.status} ${code})`, {
      hint: loginHint(registry),
    });
  }
  if (res.status < 200 || res.status >= 300) {
    throw new AuthenticationError(registry, `token service ${redactUrl(realm.toString())} answered ${res.status}`, {
      hint: 'retry later or check the registry status',
    });
  }
  let body: TokenBody;
  try {
    body = JSON.parse(text) as TokenBody;
  } catch {
    throw new AuthenticationError(registry, `token service ${redactUrl(realm.toString())} returned a body that is not JSON`, {
      hint: 'the realm may point at a proxy or login page',
    });
  }
  const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
  if (!token) {
    throw new AuthenticationError(registry, `token service ${redactUrl(realm.toString())} returned no token`, {
      hint: 'the realm may point at something that is not a token service',
    });
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_S;
  const now = Date.now();
  const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : NaN;
  // A server clock ahead of ours would stretch the lifetime; only ever let issued_at shorten it.
  const start = Number.isFinite(issued) ? Math.min(issued, now) : now;
  return { token, expiresAt: start + expiresIn * 1000, scopes: opts.scopes };
}
