import { DOCKER_HUB_REGISTRY } from './hosts.js';
import type { Reference, Repository } from './types.js';

/** `registry/repository`, fully qualified: `docker.io/library/alpine`. */
export function formatRepository(repo: Repository): string {
  return `${repo.registry}/${repo.repository}`;
}

/** The fully qualified string form, `registry/repository[:tag][@digest]`; parses back to the same value. */
export function formatReference(ref: Reference): string {
  return `${formatRepository(ref)}${suffix(ref)}`;
}

/** The short name docker shows: `docker.io/library/alpine` -> `alpine`, `docker.io/user/app` -> `user/app`. */
export function familiarName(repo: Repository): string {
  if (repo.registry !== DOCKER_HUB_REGISTRY) return formatRepository(repo);
  const rest = repo.repository;
  return rest.startsWith('library/') && rest.indexOf('/', 'library/'.length) < 0 ? rest.slice('library/'.length) : rest;
}

/** The short form of a whole reference: `alpine:3.20`, `ghcr.io/acme/app@sha256:…`. */
export function familiarReference(ref: Reference): string {
  return `${familiarName(ref)}${suffix(ref)}`;
}

/**
 * What to put after `/manifests/` for this reference: the digest when there is one (it pins the
 * content), else the tag; a bare reference means `latest`, as docker treats it.
 */
export function referenceIdentifier(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

function suffix(ref: Reference): string {
  return `${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
