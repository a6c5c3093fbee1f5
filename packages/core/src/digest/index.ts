import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, InvalidReferenceError } from '../errors/index.js';

/** `algorithm:hex`, e.g. `sha256:e3b0…`. Only sha256 and sha512 are accepted, as the OCI spec registers. */
export type Digest = `${string}:${string}`;

const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

export function isDigest(value: string): value is Digest {
  const i = value.indexOf(':');
  if (i <= 0) return false;
  const alg = value.slice(0, i);
  const hex = value.slice(i + 1);
  const len = HEX_LENGTH[alg];
  return len !== undefined && hex.length === len && /^[a-f0-9]+$/.test(hex);
}

/** Validates a digest string, throwing an error that names it. */
export function parseDigest(value: string): Digest {
  if (!isDigest(value)) {
    throw new InvalidReferenceError(value, 'not a digest (expected sha256: followed by 64 lowercase hex characters)');
  }
  return value;
}

export function digestAlgorithm(digest: Digest): string {
  return digest.slice(0, digest.indexOf(':'));
}

export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}

export function computeDigest(data: Uint8Array | string, algorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Throws unless `data` hashes to `expected`. */
export function verifyDigest(what: string, data: Uint8Array, expected: Digest): void {
  const actual = computeDigest(data, digestAlgorithm(expected));
  if (actual !== expected) throw new DigestMismatchError(what, expected, actual);
}

export interface VerifyOptions {
  /** Used in error messages, e.g. `blob sha256:… from ghcr.io/acme/app`. */
  what: string;
  expectedDigest: Digest;
  /** When known, a short or long stream fails even if an attacker could pad the hash. */
  expectedSize?: number;
  /** Called with the byte count of each chunk as it passes, for progress. */
  onBytes?: (n: number) => void;
  /**
   * Check the size only. For bytes an upstream VerifyingStream already hashes against the same
   * digest (a copy's source side): a second sha256 pass per blob is the costliest thing in a pull,
   * and the size check still catches a body that was cut short because that upstream check failed.
   */
  sizeOnly?: boolean;
}

/**
 * A pass-through stream that hashes what flows through and fails the pipeline at the end (or as soon
 * as the size is exceeded) when the content is not what was asked for. Hashing against the requested
 * digest, never a response header, is what keeps a lying registry from substituting content.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  private readonly options: VerifyOptions;
  private seen = 0;

  constructor(options: VerifyOptions) {
    super();
    this.options = options;
    this.hash = createHash(digestAlgorithm(options.expectedDigest));
  }

  get bytesSeen(): number {
    return this.seen;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    const { expectedSize } = this.options;
    if (expectedSize !== undefined && this.seen > expectedSize) {
      cb(new DigestMismatchError(this.options.what, `${expectedSize} bytes`, `more than ${expectedSize} bytes`));
      return;
    }
    if (!this.options.sizeOnly) this.hash.update(chunk);
    this.options.onBytes?.(chunk.length);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const { expectedSize, expectedDigest, what } = this.options;
    if (expectedSize !== undefined && this.seen !== expectedSize) {
      cb(new DigestMismatchError(what, `${expectedSize} bytes`, `${this.seen} bytes`));
      return;
    }
    if (this.options.sizeOnly) {
      cb();
      return;
    }
    const actual: Digest = `${digestAlgorithm(expectedDigest)}:${this.hash.digest('hex')}`;
    if (actual !== expectedDigest) {
      cb(new DigestMismatchError(what, expectedDigest, actual));
      return;
    }
    cb();
  }
}
