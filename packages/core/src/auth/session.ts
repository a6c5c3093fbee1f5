import { AuthenticationError, isAbortError } from '../errors/index.js';
import { basicAuthorization } from './basic.js';
import { parseWwwAuthenticate, pickChallenge, type AuthChallenge } from './challenge.js';
import { loginHint } from './messages.js';
import { mergeScopes, repositoryOfScopes } from './scopes.js';
import { TokenCache } from './token-cache.js';
import { fetchBearerToken, type TokenHttp } from './token-client.js';
import { anonymous, type AuthConfig, type Keychain } from './types.js';

export interface AuthSessionOptions {
  /** Normalised registry host[:port]. */
  registry: string;
  keychain?: Keychain;
  http: TokenHttp;
  tokenCache?: TokenCache;
  /** Whether the registry is reached over plain HTTP / unverified TLS; decided lazily by the transport. */
  registryInsecure: () => boolean;
}

/** Credentials are re-asked this long before a keychain-declared expiry. */
const CONFIG_REFRESH_MS = 30_000;

interface CachedConfig {
  promise: Promise<AuthConfig>;
  expiresAt?: number;
}

/**
 * Authorization state for one registry: the last challenge it sent (so later requests authorize up
 * front instead of paying a 401 round trip each), credentials per repository, and bearer tokens.
 */
export class AuthSession {
  readonly registry: string;
  private challenge: AuthChallenge | undefined;
  private readonly configs = new Map<string, CachedConfig>();
  private readonly tokens: TokenCache;

  constructor(private readonly opts: AuthSessionOptions) {
    this.registry = opts.registry;
    this.tokens = opts.tokenCache ?? new TokenCache();
  }

  /** True once the registry said how it wants to be authenticated (or that it does not). */
  get knowsChallenge(): boolean {
    return this.challenge !== undefined;
  }

  /** Records the challenge of a response that was not a 401 to a credentialed request (e.g. a `/v2/` ping). */
  observe(wwwAuthenticate: string | null): void {
    const picked = pickChallenge(parseWwwAuthenticate(wwwAuthenticate));
    if (picked) this.challenge = picked;
  }

  /** The `Authorization` value to send up front for these scopes, or undefined when none is known to be needed. */
  async authorize(scopes: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
    const config = await this.credentials(scopes, signal);
    if (config.registryToken) return `Bearer ${config.registryToken}`;
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return basicHeader(config);
    return this.bearer(config, challenge, mergeScopes(scopes), signal);
  }

  /**
   * Reacts to a 401: learns the challenge and returns a header worth replaying the request with
   * (a token for the union of scopes asked and scopes the challenge names), or undefined when a
   * replay could not do better than what was sent.
   */
  async unauthorized(
    wwwAuthenticate: string | null,
    scopes: readonly string[],
    sent: string | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const challenge = pickChallenge(parseWwwAuthenticate(wwwAuthenticate));
    if (!challenge) return undefined;
    this.challenge = challenge;
    const config = await this.credentials(scopes, signal);
    if (config.registryToken) return undefined;
    let header: string | undefined;
    if (challenge.scheme === 'basic') {
      header = basicHeader(config);
    } else {
      const wanted = mergeScopes(scopes, challenge.params.scope ? [challenge.params.scope] : []);
      // The same token refused before its expiry: revoked or scoped down, so ask again.
      if (sent?.startsWith('Bearer ')) this.tokens.invalidate(this.tokenKey(config, wanted), sent.slice(7));
      header = await this.bearer(config, challenge, wanted, signal);
    }
    return header === sent ? undefined : header;
  }

  /** The one-line error for a request the registry still refused after authorization was tried. */
  async denied(status: number, code: string, scopes: readonly string[], sent: string | undefined, signal?: AbortSignal): Promise<AuthenticationError> {
    const config = await this.credentials(scopes, signal);
    const what = `(${status} ${code})`;
    const scopeText = mergeScopes(scopes).join(' ');
    if (config.registryToken) {
      return new AuthenticationError(this.registry, `the registry token was rejected ${what}`, { hint: loginHint(this.registry) });
    }
    if (sent?.startsWith('Basic ') && config.username) {
      return new AuthenticationError(this.registry, `credentials for ${config.username} were rejected ${what}`, {
        hint: `check the password or ${loginHint(this.registry)}`,
      });
    }
    if (!config.username && !config.identityToken) {
      return new AuthenticationError(this.registry, `anonymous access${scopeText ? ` to ${scopeText}` : ''} was denied ${what}`, {
        hint: loginHint(this.registry),
      });
    }
    const who = config.username ?? 'the saved identity';
    return new AuthenticationError(this.registry, `${who} was denied${scopeText ? ` ${scopeText}` : ''} ${what}`, {
      hint: 'check that the account has access to the repository',
    });
  }

  private tokenKey(config: AuthConfig, scopes: readonly string[]): string {
    const identity = config.username ?? (config.identityToken ? '<identity>' : '<anonymous>');
    return TokenCache.key(this.registry, identity, scopes);
  }

  private async bearer(config: AuthConfig, challenge: AuthChallenge, scopes: string[], signal?: AbortSignal): Promise<string> {
    const token = await unlessOthersAborted(signal, () =>
      this.tokens.get(this.tokenKey(config, scopes), () =>
        fetchBearerToken({
          registry: this.registry,
          challenge,
          scopes,
          auth: config,
          http: this.opts.http,
          registryInsecure: this.opts.registryInsecure(),
          signal,
        }),
      ),
    );
    return `Bearer ${token.token}`;
  }

  private credentials(scopes: readonly string[], signal?: AbortSignal): Promise<AuthConfig> {
    return unlessOthersAborted(signal, () => this.cachedCredentials(scopes, signal));
  }

  private cachedCredentials(scopes: readonly string[], signal?: AbortSignal): Promise<AuthConfig> {
    const keychain = this.opts.keychain;
    if (!keychain) return anonymous.authorization(signal);
    const repository = repositoryOfScopes(scopes);
    const key = repository ?? '';
    const cached = this.configs.get(key);
    if (cached && (cached.expiresAt === undefined || Date.now() < cached.expiresAt - CONFIG_REFRESH_MS)) return cached.promise;
    const entry: CachedConfig = {
      promise: keychain
        .resolve(repository ? { registry: this.registry, repository } : { registry: this.registry }, signal)
        .then((authenticator) => authenticator.authorization(signal)),
    };
    this.configs.set(key, entry);
    entry.promise.then(
      (config) => {
        if (config.expiresAt) entry.expiresAt = config.expiresAt.getTime();
      },
      () => {
        if (this.configs.get(key) === entry) this.configs.delete(key);
      },
    );
    return entry.promise;
  }
}

/**
 * Token and credential fetches are shared by concurrent callers but run under the signal of the
 * first one; when that caller aborts, the others must fetch again rather than fail with its abort.
 */
async function unlessOthersAborted<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      // bounded: an authenticator that always throws AbortError must not spin forever
      if (!isAbortError(err) || signal?.aborted || attempt >= 3) throw err;
    }
  }
}

function basicHeader(config: AuthConfig): string | undefined {
  return config.username && config.password ? basicAuthorization(config.username, config.password) : undefined;
}
