import { AuthenticationError } from '../errors/index.js';
import { isLoopbackRegistry } from '../reference/hosts.js';

export interface RealmPolicy {
  /** The registry itself is reached over plain HTTP or without TLS verification. */
  registryInsecure: boolean;
}

/**
 * A token realm is a URL the registry tells us to call, so a hostile registry could aim it at
 * internal services (SSRF) or at plain HTTP to harvest credentials. Only http(s) realms are
 * accepted, and plain HTTP only when the registry is insecure anyway.
 */
export function validateRealm(registry: string, realm: string | undefined, policy: RealmPolicy): URL {
  if (!realm) {
    throw new AuthenticationError(registry, 'the Bearer challenge names no token realm', {
      hint: 'the registry is misconfigured; ask its operator',
    });
  }
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new AuthenticationError(registry, 'the Bearer challenge realm is not a valid URL', {
      hint: 'the registry is misconfigured; ask its operator',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AuthenticationError(registry, `token realm scheme ${url.protocol} is not http(s)`, {
      hint: 'refusing to follow it; the registry is misconfigured or hostile',
    });
  }
  if (url.protocol === 'http:' && !policy.registryInsecure) {
    throw new AuthenticationError(registry, `token realm ${url.origin} is plain http while the registry uses https`, {
      hint: 'refusing the downgrade; mark the registry insecure only if you trust the network',
    });
  }
  return url;
}

/** Registry passwords may go to an https realm, or to plain http only on this machine. */
export function mayCarryCredentials(realm: URL): boolean {
  return realm.protocol === 'https:' || isLoopbackRegistry(realm.host);
}
