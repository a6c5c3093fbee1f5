import type { RegistryTransport } from '../transport/types.js';

/** What every registry operation needs: the transport, and the registry name for messages. */
export interface ClientContext {
  readonly transport: RegistryTransport;
  readonly registry: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** Token scopes per operation; `delete` is its own action on distribution-based registries. */
export const scopes = {
  pull: (repo: string): string[] => [`repository:${repo}:pull`],
  push: (repo: string): string[] => [`repository:${repo}:pull,push`],
  delete: (repo: string): string[] => [`repository:${repo}:delete`],
  catalog: (): string[] => ['registry:catalog:*'],
};

/** `127.0.0.1:5000/app:v1` or `…/app@sha256:…`, for messages. */
export function describeRef(ctx: ClientContext, repo: string, ref: string): string {
  return `${ctx.registry}/${repo}${ref.includes(':') ? '@' : ':'}${ref}`;
}

/** The API path of a repository resource: `/v2/<repo>/<kind>/<ref>`. */
export function apiPath(repo: string, kind: 'manifests' | 'blobs' | 'tags' | 'referrers', ref: string): string {
  return `/v2/${repo}/${kind}/${ref}`;
}
