export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** One request the token server saw. Passwords and tokens are never recorded. */
export interface TokenRequestRecord {
  method: 'GET' | 'POST';
  /** Raw scope strings as the client sent them (POST space-separated scopes are split). */
  scopes: string[];
  service: string | undefined;
  /** 'password' | 'refresh_token' for POST; undefined for GET. */
  grantType: string | undefined;
  clientId: string | undefined;
  /** Username the request claimed (Basic auth, password grant, or owner of a valid refresh token); undefined = anonymous. */
  user: string | undefined;
  /** True when the credentials checked out (a wrong password has `user` set but this false). */
  authenticated: boolean;
  /** HTTP status the token server answered with. */
  status: number;
  /** Access actually granted (empty when the policy denied everything). */
  granted: AccessEntry[];
  /** Milliseconds since epoch. */
  at: number;
}

export interface GrantContext {
  user: string | undefined;
  requested: AccessEntry;
}

export interface TokenServerOptions {
  users: Record<string, string>;
  service: string;
  issuer: string;
  /** Anonymous clients get `pull` (only pull) when true. Default false. */
  anonymousPull?: boolean;
  /** Token lifetime, default 300 s. */
  tokenTtlSeconds?: number;
  /**
   * Override the default policy (authenticated: everything asked; anonymous: pull if
   * anonymousPull). Return the actions to grant for one requested scope.
   */
  grant?: (ctx: GrantContext) => string[];
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The realm the registry advertises: `${url}/token`. */
  realm: string;
  service: string;
  issuer: string;
  /** Every token request, in order. Tests may clear it with `requests.length = 0`. */
  requests: TokenRequestRecord[];
  stop(): Promise<void>;
}
