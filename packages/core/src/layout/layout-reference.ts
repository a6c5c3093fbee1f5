import { InvalidReferenceError } from '../errors/index.js';

export interface OciLayoutReference {
  dir: string;
  tag?: string;
}

/** skopeo's rule for OCI ref names: path-like components of `[A-Za-z0-9._-]`. */
const REF_NAME_RE = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/**
 * Splits `DIR[:TAG]` (the part after `oci:`; the prefix itself is tolerated) at the first colon, as
 * skopeo does, so a ref name may itself hold colons but a directory may not.
 */
export function parseOciLayoutReference(spec: string): OciLayoutReference {
  const body = spec.startsWith('oci:') ? spec.slice(4) : spec;
  const colon = body.indexOf(':');
  const dir = colon < 0 ? body : body.slice(0, colon);
  const tag = colon < 0 ? undefined : body.slice(colon + 1);
  if (dir.length === 0) throw new InvalidReferenceError(spec, 'OCI layout reference has no directory; use oci:DIR[:TAG]');
  if (tag !== undefined && !REF_NAME_RE.test(tag.replace(/:/g, '.'))) {
    throw new InvalidReferenceError(spec, `OCI layout tag "${tag}" may only hold letters, digits, ".", "_", "-", ":" and "/"`);
  }
  return tag === undefined ? { dir } : { dir, tag };
}
