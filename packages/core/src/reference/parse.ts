import { InvalidReferenceError } from '../errors/index.js';
import { isDigest } from '../digest/index.js';
import {
  DIGEST_SHAPE_RE,
  DOMAIN_RE,
  IMAGE_ID_RE,
  NAME_TOTAL_LENGTH_MAX,
  PATH_COMPONENT_RE,
  TAG_RE,
} from './grammar.js';
import { DOCKER_HUB_REGISTRY, normalizeRegistry } from './hosts.js';
import type { Reference, Repository } from './types.js';

export interface ParseReferenceOptions {
  /** Tag given to a reference with neither tag nor digest (default `latest`); `false` leaves it bare. */
  defaultTag?: string | false;
}

/**
 * Parses a docker-style image reference (`alpine`, `ghcr.io/acme/app:v1`, `[::1]:5000/x@sha256:…`)
 * into its normalised parts, failing with an error that names the part that is wrong.
 */
export function parseReference(input: string, options: ParseReferenceOptions = {}): Reference {
  const { defaultTag = 'latest' } = options;
  checkNotBlank(input);

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    checkDigest(input, digest);
  }

  const { name, tag } = splitTag(rest);
  if (tag !== undefined) checkTag(input, tag);
  const repo = parseName(input, name);

  const effectiveTag = tag ?? (digest === undefined && defaultTag !== false ? defaultTag : undefined);
  return {
    ...repo,
    ...(effectiveTag !== undefined ? { tag: effectiveTag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Parses a repository name (`alpine`, `ghcr.io/acme/app`); a tag or digest is an error here. */
export function parseRepository(input: string): Repository {
  checkNotBlank(input);
  if (input.includes('@')) throw new InvalidReferenceError(input, 'a repository name cannot carry a digest; drop the "@…" part');
  const { name, tag } = splitTag(input);
  if (tag !== undefined) throw new InvalidReferenceError(input, `a repository name cannot carry a tag (":${tag}"); drop it`);
  return parseName(input, name);
}

function checkNotBlank(input: string): void {
  if (input.length === 0) throw new InvalidReferenceError(input, 'reference is empty');
  if (/\s/.test(input)) throw new InvalidReferenceError(input, 'reference contains whitespace');
}

/** The tag is after the last `:` only when no `/` follows it; otherwise that colon is a port. */
function splitTag(s: string): { name: string; tag?: string } {
  const colon = s.lastIndexOf(':');
  if (colon < 0 || s.indexOf('/', colon) >= 0 || s.indexOf(']', colon) >= 0) return { name: s };
  return { name: s.slice(0, colon), tag: s.slice(colon + 1) };
}

function checkTag(input: string, tag: string): void {
  if (!TAG_RE.test(tag)) {
    throw new InvalidReferenceError(
      input,
      `tag '${tag}' is invalid: use 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
    );
  }
}

function checkDigest(input: string, digest: string): void {
  if (isDigest(digest)) return;
  const problem = DIGEST_SHAPE_RE.test(digest)
    ? `digest '${digest}' is not supported: expected sha256 (64 lowercase hex) or sha512 (128 lowercase hex)`
    : `digest '${digest}' is invalid: expected sha256: followed by 64 lowercase hex characters`;
  throw new InvalidReferenceError(input, problem);
}

/**
 * Splits `[domain/]path` the way docker does: the first component is a registry only when it
 * contains `.` or `:`, is `localhost`, or has uppercase letters (which a path may not).
 */
function parseName(input: string, name: string): Repository {
  if (name.length === 0) throw new InvalidReferenceError(input, 'repository name is empty');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());

  const domain = hasDomain ? first : DOCKER_HUB_REGISTRY;
  let path = hasDomain ? name.slice(slash + 1) : name;
  if (!DOMAIN_RE.test(domain)) {
    throw new InvalidReferenceError(input, `registry '${domain}' is invalid: expected a host name or [IPv6] address with an optional :port`);
  }
  if (!hasDomain && IMAGE_ID_RE.test(path)) {
    throw new InvalidReferenceError(input, 'repository name cannot be 64 hex characters (that is an image ID); add a registry or path');
  }
  checkPath(input, path);

  const registry = normalizeRegistry(domain);
  // Official Docker Hub images live under `library/`, which docker hides.
  if (registry === DOCKER_HUB_REGISTRY && !path.includes('/')) path = `library/${path}`;
  if (registry.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidReferenceError(input, `repository name is longer than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  return { registry, repository: path };
}

function checkPath(input: string, path: string): void {
  if (path.length === 0) throw new InvalidReferenceError(input, 'repository path is empty');
  if (path !== path.toLowerCase()) throw new InvalidReferenceError(input, 'repository name must be lowercase');
  for (const component of path.split('/')) {
    if (component.length === 0) throw new InvalidReferenceError(input, 'repository path has an empty component ("//" or a trailing "/")');
    if (!PATH_COMPONENT_RE.test(component)) {
      throw new InvalidReferenceError(
        input,
        `repository path component '${component}' is invalid: use lowercase letters and digits separated by '.', '_', '__' or '-'`,
      );
    }
  }
}
