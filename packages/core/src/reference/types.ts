/** A repository on a registry: `registry` is the normalised host[:port] (`docker.io`, not `index.docker.io`). */
export interface Repository {
  readonly registry: string;
  /** Path below the registry, e.g. `library/alpine`. */
  readonly repository: string;
}

/** An image reference: a repository plus a tag, a digest, or both (the digest wins when both are set). */
export interface Reference extends Repository {
  readonly tag?: string;
  readonly digest?: string;
}
