import type { AuthConfig } from '../auth/types.js';
import { CredentialHelperError } from '../errors/index.js';
import { IDENTITY_TOKEN_USERNAME, runCredentialHelper, type HelperRunOptions } from './protocol.js';

/** The JSON a helper's `get` prints and `store` reads. */
interface HelperCredentials {
  ServerURL?: string;
  Username?: string;
  Secret?: string;
}

/** One `docker-credential-<name>` executable, spoken to with the four protocol verbs. */
export class CredentialHelper {
  readonly name: string;
  readonly #options: Omit<HelperRunOptions, 'signal'>;

  constructor(name: string, options: Omit<HelperRunOptions, 'signal'> = {}) {
    this.name = name;
    this.#options = options;
  }

  /** Credentials stored for `serverUrl`, or undefined when the helper has none. */
  async get(serverUrl: string, signal?: AbortSignal): Promise<AuthConfig | undefined> {
    const out = await runCredentialHelper(this.name, 'get', serverUrl, this.#run(signal));
    if (!out.ok) return undefined;
    const parsed = this.#parse<HelperCredentials>(out.stdout, 'get');
    if (typeof parsed.Secret !== 'string' || (parsed.Username !== undefined && typeof parsed.Username !== 'string')) {
      throw new CredentialHelperError(this.name, 'get answered without a string Secret', { hint: 'the helper is broken or not a docker credential helper' });
    }
    if (parsed.Secret === '') return undefined;
    if (parsed.Username === IDENTITY_TOKEN_USERNAME) return { identityToken: parsed.Secret };
    return { username: parsed.Username ?? '', password: parsed.Secret };
  }

  /** Saves credentials; an identity token is stored under the `<token>` username, as docker does. */
  async store(serverUrl: string, auth: AuthConfig, signal?: AbortSignal): Promise<void> {
    const body: HelperCredentials = auth.identityToken
      ? { ServerURL: serverUrl, Username: IDENTITY_TOKEN_USERNAME, Secret: auth.identityToken }
      : { ServerURL: serverUrl, Username: auth.username ?? '', Secret: auth.password ?? '' };
    if (!body.Secret) throw new CredentialHelperError(this.name, 'store needs a password or identity token');
    const out = await runCredentialHelper(this.name, 'store', JSON.stringify(body), this.#run(signal));
    if (!out.ok) throw new CredentialHelperError(this.name, 'store reported the entry as not found');
  }

  /** Forgets `serverUrl`; erasing what is not there is not an error. */
  async erase(serverUrl: string, signal?: AbortSignal): Promise<void> {
    await runCredentialHelper(this.name, 'erase', serverUrl, this.#run(signal));
  }

  /** Server URL -> username for every stored entry. */
  async list(signal?: AbortSignal): Promise<Record<string, string>> {
    const out = await runCredentialHelper(this.name, 'list', '', this.#run(signal));
    if (!out.ok) return {};
    const parsed = this.#parse<Record<string, unknown>>(out.stdout, 'list');
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  #run(signal: AbortSignal | undefined): HelperRunOptions {
    return signal ? { ...this.#options, signal } : this.#options;
  }

  #parse<T>(stdout: string, action: string): T {
    try {
      const value: unknown = JSON.parse(stdout);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as T;
    } catch {
      // fall through: reported below without echoing the output, which may hold a secret
    }
    throw new CredentialHelperError(this.name, `${action} printed something that is not a JSON object`, { hint: 'the helper is broken or not a docker credential helper' });
  }
}
