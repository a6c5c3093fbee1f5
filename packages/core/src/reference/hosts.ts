/** The name Docker Hub images are normalised to; `index.docker.io` and `registry-1.docker.io` fold into it. */
export const DOCKER_HUB_REGISTRY = 'docker.io';
/** Where Docker Hub's registry API actually answers. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** The key docker writes Docker Hub credentials under in config.json. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Folds Docker Hub's aliases into `docker.io` and lower-cases the host; leaves the port alone. */
export function normalizeRegistry(registry: string): string {
  const lower = registry.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB_REGISTRY : lower;
}

/** The host[:port] to send API requests to for a normalised registry name. */
export function registryApiHost(registry: string): string {
  return normalizeRegistry(registry) === DOCKER_HUB_REGISTRY ? DOCKER_HUB_API_HOST : registry;
}

/** Splits `host[:port]`, including bracketed IPv6 (`[::1]:5000`). */
export function splitHostPort(registry: string): { host: string; port: string | undefined } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(registry);
  if (!m) return { host: registry, port: undefined };
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] };
}

/** Loopback registries may use plain HTTP without being marked insecure, as docker allows. */
export function isLoopbackRegistry(registry: string): boolean {
  const { host } = splitHostPort(registry.toLowerCase());
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Pattern from amazon-ecr-credential-helper: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`. */
const ECR_HOST_RE = /^[a-zA-Z0-9][a-zA-Z0-9-_]*\.dkr\.ecr(-fips)?\.[a-zA-Z0-9][a-zA-Z0-9-_]*\.amazonaws\.com(\.cn)?$/;

/** Amazon ECR registry hosts, which cap page sizes and use AWS credentials. */
export function isEcrHost(registry: string): boolean {
  return ECR_HOST_RE.test(splitHostPort(registry.toLowerCase()).host);
}
