import { pipeline, type Readable } from 'node:stream';
import { DigestMismatchError, RegistryError } from '../errors/index.js';
import { VerifyingStream, type Digest } from '../digest/index.js';
import { apiPath, describeRef, scopes, type CallOptions, type ClientContext } from './context.js';
import { contentLength, expectStatus } from './response.js';

export interface GetBlobOptions extends CallOptions {
  /** Size from the manifest descriptor; a mismatching Content-Length or body fails the read. */
  expectedSize?: number;
  /** Progress: byte count of each chunk as it is verified. */
  onBytes?: (n: number) => void;
}

/** The blob's size, or `undefined` when the repository does not have it. */
export async function headBlob(ctx: ClientContext, repo: string, digest: Digest, options: CallOptions = {}): Promise<{ size: number } | undefined> {
  const what = `blob ${describeRef(ctx, repo, digest)}`;
  const res = await ctx.transport.request({ method: 'HEAD', url: apiPath(repo, 'blobs', digest), scopes: scopes.pull(repo), signal: options.signal });
  if (res.status === 404) {
    await res.dump();
    return undefined;
  }
  await expectStatus(res, [200], 'HEAD', what);
  await res.dump();
  const size = contentLength(res);
  if (size === undefined) {
    throw new RegistryError(`${what} exists but its size is unknown (no Content-Length)`, { status: res.status, method: 'HEAD', url: res.url });
  }
  return { size };
}

/**
 * Streams a blob through a `VerifyingStream`: the returned Readable emits an error (after the last
 * byte at the latest) when the content does not hash to `digest` or has the wrong length, so a
 * consumer that writes it somewhere must treat the write as failed on error.
 */
export async function getBlob(ctx: ClientContext, repo: string, digest: Digest, options: GetBlobOptions = {}): Promise<Readable> {
  const what = `blob ${describeRef(ctx, repo, digest)}`;
  const res = await ctx.transport.request({ method: 'GET', url: apiPath(repo, 'blobs', digest), scopes: scopes.pull(repo), signal: options.signal });
  await expectStatus(res, [200], 'GET', what);

  const declared = contentLength(res);
  if (declared !== undefined && options.expectedSize !== undefined && declared !== options.expectedSize) {
    await res.dump();
    throw new DigestMismatchError(`${what} (Content-Length)`, `${options.expectedSize} bytes`, `${declared} bytes`);
  }
  const expectedSize = options.expectedSize ?? declared;
  const verifier = new VerifyingStream({
    what,
    expectedDigest: digest,
    ...(expectedSize !== undefined ? { expectedSize } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  });
  // pipeline destroys the verifier with the body's error, so network failures surface on the stream we return.
  pipeline(res.body, verifier, () => undefined);
  return verifier;
}
