import type { TokenServer, TokenServerOptions } from '../token/types.js';

export type RegistryAuthMode = 'none' | 'htpasswd' | 'token';

export interface RegistryOptions extends Pick<TokenServerOptions, 'anonymousPull' | 'tokenTtlSeconds' | 'grant'> {
  /** Default 'none'. */
  auth?: RegistryAuthMode;
  /** username -> password; default `{ alice: 'wonderland-secret' }` (unused when auth is 'none'). */
  users?: Record<string, string>;
  /**
   * Serve HTTPS with a server certificate from a CA made for this registry alone (see
   * `TestRegistry.caCertPath`). The certificate names 127.0.0.1 and localhost, plus `dnsNames`
   * (for a test that resolves a name of its own to 127.0.0.1). Works with every auth mode.
   */
  tls?: boolean | { dnsNames?: string[] };
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, what goes in an image reference. */
  host: string;
  /** `http://127.0.0.1:PORT`, or `https://127.0.0.1:PORT` with `tls`. */
  url: string;
  mode: RegistryAuthMode;
  users: Record<string, string>;
  /** Temp dir holding config.yml, storage (`data/`), htpasswd / token cert, TLS files, and `registry.log`. */
  rootDir: string;
  /** Registry process id (tests assert it is gone after stop). */
  pid: number;
  tokenServer?: TokenServer;
  /**
   * With `tls`: PEM of the CA that signed the registry's certificate, the only certificate in its
   * directory, so that directory works as skopeo's `--cert-dir` / `--src-cert-dir` / `--dest-cert-dir`.
   * Trust it in node with `NODE_EXTRA_CA_CERTS` or the `ca` option. Removed with `rootDir` on stop.
   */
  caCertPath?: string;
  /** Everything the registry printed so far (info level, access log on). */
  logs(): string;
  /**
   * Wait until the log (from offset `since`, default 0) matches `pattern`, and return that part.
   * The registry writes its access log just after answering, so a client may see the response
   * a moment before the line exists: assert on logs through this, not right after a request.
   */
  waitForLog(pattern: RegExp, opts?: { since?: number; timeoutMs?: number }): Promise<string>;
  stop(): Promise<void>;
}
