import { InvalidReferenceError } from '../errors/index.js';
import { parseOciLayoutReference } from '../layout/layout-reference.js';
import { parseDockerArchiveReference, type ArchiveImageRef } from '../tarball/archive-manifest.js';
import { formatReference, parseReference } from '../reference/index.js';
import type { Reference } from '../reference/index.js';

/** Where an image lives, in skopeo's transport naming. */
export type TransportReference =
  | { transport: 'docker'; reference: Reference }
  | { transport: 'oci'; dir: string; tag?: string }
  | { transport: 'docker-archive'; file: string; ref?: ArchiveImageRef };

export const TRANSPORTS = ['docker://HOST/REPO[:TAG|@DIGEST]', 'oci:DIR[:TAG]', 'docker-archive:FILE[:NAME:TAG|:@N]'] as const;

/** skopeo transports we do not speak; named so `dir:x` fails as such rather than as a bad image name. */
const OTHER_SKOPEO_TRANSPORTS = new Set(['oci-archive', 'dir', 'docker-daemon', 'containers-storage', 'ostree', 'sif', 'tarball']);

const VALID = `valid transports: ${TRANSPORTS.join(', ')} (a bare reference means docker://)`;

/**
 * Parses `docker://REF`, `oci:DIR[:TAG]`, `docker-archive:FILE[:REF]`, or a bare image reference
 * (which means `docker://`, as skopeo users expect from docker's own CLI).
 */
export function parseTransportReference(input: string): TransportReference {
  if (input.startsWith('docker://')) return { transport: 'docker', reference: dockerReference(input, input.slice('docker://'.length)) };
  if (input.startsWith('oci:')) return { transport: 'oci', ...parseOciLayoutReference(input) };
  if (input.startsWith('docker-archive:')) return { transport: 'docker-archive', ...parseDockerArchiveReference(input) };
  const prefix = /^([a-z-]+):/.exec(input)?.[1];
  if (prefix !== undefined && OTHER_SKOPEO_TRANSPORTS.has(prefix)) {
    throw new InvalidReferenceError(input, `transport "${prefix}:" is not supported`, { hint: VALID });
  }
  return { transport: 'docker', reference: dockerReference(input, input) };
}

function dockerReference(input: string, body: string): Reference {
  try {
    return parseReference(body);
  } catch (err) {
    if (err instanceof InvalidReferenceError) throw new InvalidReferenceError(input, err.message.replace(/^invalid reference "[^"]*": /, ''), { hint: VALID });
    throw err;
  }
}

/** The canonical string form, e.g. `docker://ghcr.io/acme/app:v1` or `oci:/tmp/layout:v1`. */
export function formatTransportReference(ref: TransportReference): string {
  switch (ref.transport) {
    case 'docker':
      return `docker://${formatReference(ref.reference)}`;
    case 'oci':
      return `oci:${ref.dir}${ref.tag !== undefined ? `:${ref.tag}` : ''}`;
    case 'docker-archive': {
      const suffix = ref.ref === undefined ? '' : 'index' in ref.ref ? `:@${ref.ref.index}` : `:${ref.ref.tag}`;
      return `docker-archive:${ref.file}${suffix}`;
    }
  }
}
