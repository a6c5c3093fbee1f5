/**
 * A docker/OAuth2 token server for the registry's `auth.token` mode, on loopback.
 * It implements the two flows real clients use: `GET realm?service&scope` with optional Basic
 * auth, and the OAuth2 form `POST` with `grant_type=password|refresh_token`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { signingMaterial } from './certificate.js';
import { signRegistryToken } from './jwt.js';
import { mergeAccess, parseScope } from './scope.js';
import { parseBasicAuth, passwordMatches } from './credentials.js';
import { closeServer, listenOnLoopback } from '../net/listen.js';
import { track, untrack } from '../lifecycle/tracker.js';
import type { AccessEntry, GrantContext, TokenRequestRecord, TokenServer, TokenServerOptions } from './types.js';

const MAX_FORM_BYTES = 64 * 1024;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Outcome of the credential check; the request's own fields go straight into its record. */
interface ParsedTokenRequest {
  user: string | undefined;
  wantsRefreshToken: boolean;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const material = await signingMaterial();
  const ttl = options.tokenTtlSeconds ?? 300;
  const requests: TokenRequestRecord[] = [];
  // Opaque refresh tokens -> user; they live as long as the server.
  const refreshTokens = new Map<string, string>();

  const grant = options.grant ?? ((ctx: GrantContext): string[] => defaultGrant(ctx, options.anonymousPull === true));

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: String(err) }] });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    if (url.pathname !== '/token') {
      sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: `no such endpoint ${url.pathname}; use /token` }] });
      return;
    }
    const record: TokenRequestRecord = {
      method: req.method === 'POST' ? 'POST' : 'GET',
      scopes: [],
      service: undefined,
      grantType: undefined,
      clientId: undefined,
      user: undefined,
      authenticated: false,
      status: 0,
      granted: [],
      at: Date.now(),
    };
    requests.push(record);
    try {
      const parsed = req.method === 'POST' ? await parsePost(req, record) : parseGet(req, url, record);
      record.authenticated = parsed.user !== undefined;
      if (record.service !== undefined && record.service !== options.service) {
        throw new HttpFailure(400, 'invalid_request', `unknown service ${record.service}; this token server serves ${options.service}`);
      }
      const granted = decide(parsed.user, record.scopes);
      record.granted = granted;
      const token = signRegistryToken(material, {
        issuer: options.issuer,
        service: options.service,
        subject: parsed.user ?? '',
        access: granted,
        ttlSeconds: ttl,
      });
      const body: Record<string, unknown> = {
        access_token: token,
        expires_in: ttl,
        issued_at: new Date().toISOString(),
      };
      if (record.method === 'GET') body.token = token;
      if (parsed.user !== undefined && parsed.wantsRefreshToken) {
        const refresh = randomBytes(24).toString('base64url');
        refreshTokens.set(refresh, parsed.user);
        body.refresh_token = refresh;
      }
      record.status = 200;
      sendJson(res, 200, body);
    } catch (err) {
      if (!(err instanceof HttpFailure)) throw err;
      record.status = err.status;
      const headers: Record<string, string> = {};
      if (err.status === 401) headers['www-authenticate'] = 'Basic realm="nextdeploy-testkit-token"';
      sendJson(
        res,
        err.status,
        { error: err.code, error_description: err.message, details: err.message, errors: [{ code: err.code.toUpperCase(), message: err.message }] },
        headers,
      );
    }
  }

  function parseGet(req: IncomingMessage, url: URL, record: TokenRequestRecord): ParsedTokenRequest {
    record.service = url.searchParams.get('service') ?? undefined;
    record.scopes = splitScopes(url.searchParams.getAll('scope'));
    record.clientId = url.searchParams.get('client_id') ?? undefined;
    const basic = parseBasicAuth(req.headers.authorization);
    if (!basic) return { user: undefined, wantsRefreshToken: false };
    record.user = basic.user;
    if (!passwordMatches(options.users, basic.user, basic.password)) {
      throw new HttpFailure(401, 'unauthorized', 'incorrect username or password');
    }
    return { user: basic.user, wantsRefreshToken: url.searchParams.get('offline_token') === 'true' };
  }

  async function parsePost(req: IncomingMessage, record: TokenRequestRecord): Promise<ParsedTokenRequest> {
    const form = new URLSearchParams(await readBody(req));
    const grantType = form.get('grant_type') ?? undefined;
    record.grantType = grantType;
    record.service = form.get('service') ?? undefined;
    record.scopes = splitScopes(form.getAll('scope'));
    record.clientId = form.get('client_id') ?? undefined;
    if (grantType === 'password') {
      const username = form.get('username') ?? '';
      record.user = username;
      if (!passwordMatches(options.users, username, form.get('password') ?? '')) {
        throw new HttpFailure(401, 'invalid_grant', 'incorrect username or password');
      }
      return { user: username, wantsRefreshToken: true };
    }
    if (grantType === 'refresh_token') {
      const user = refreshTokens.get(form.get('refresh_token') ?? '');
      if (user === undefined) throw new HttpFailure(401, 'invalid_grant', 'unknown or revoked refresh token');
      record.user = user;
      return { user, wantsRefreshToken: true };
    }
    throw new HttpFailure(400, 'unsupported_grant_type', `grant_type ${grantType ?? '(missing)'} is not supported; use password or refresh_token`);
  }

  function decide(user: string | undefined, scopes: string[]): AccessEntry[] {
    const requested = mergeAccess(scopes.map(parseScope).filter((e): e is AccessEntry => e !== undefined));
    return requested
      .map((entry) => ({ ...entry, actions: grant({ user, requested: entry }) }))
      .filter((entry) => entry.actions.length > 0);
  }

  const port = await listenOnLoopback(server);
  const url = `http://127.0.0.1:${port}`;
  const tokenServer: TokenServer = {
    url,
    realm: `${url}/token`,
    service: options.service,
    issuer: options.issuer,
    requests,
    async stop() {
      untrack(tokenServer);
      await closeServer(server);
    },
  };
  return track(tokenServer);
}

function defaultGrant(ctx: GrantContext, anonymousPull: boolean): string[] {
  if (ctx.user !== undefined) return ctx.requested.actions;
  if (anonymousPull && ctx.requested.type === 'repository') return ctx.requested.actions.filter((a) => a === 'pull');
  return [];
}

/** Clients send several `scope` params, and OAuth2 POST bodies may space-separate them. */
function splitScopes(values: string[]): string[] {
  return values.flatMap((v) => v.split(' ')).filter(Boolean);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new HttpFailure(413, 'invalid_request', 'token request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

