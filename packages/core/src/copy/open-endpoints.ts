import type { ImageDestination, ImageSource } from '../layout/image-io.js';
import { OciLayoutDestination } from '../layout/oci-layout-destination.js';
import { OciLayoutSource } from '../layout/oci-layout-source.js';
import { RegistryClient } from '../registry/client.js';
import { DockerArchiveDestination } from '../tarball/docker-archive-destination.js';
import { DockerArchiveSource } from '../tarball/docker-archive-source.js';
import { InvalidReferenceError } from '../errors/index.js';
import type { TransportOptions } from '../transport/types.js';
import { RegistryDestination, RegistrySource } from './registry-endpoint.js';
import { parseTransportReference, type TransportReference } from './transport-reference.js';
import { TransportPool } from './transport-pool.js';

export interface EndpointContext {
  /**
   * Transports for registry endpoints. Pass the same pool to `openSource` and `openDestination` so
   * both sides of a same-registry copy share connections and tokens; the caller closes it.
   */
  transports?: TransportPool;
  /** Used when no pool is given (a pool is created per call then). */
  transportOptions?: TransportOptions;
}

function pool(ctx: EndpointContext): TransportPool {
  return ctx.transports ?? new TransportPool(ctx.transportOptions ?? {});
}

function toReference(ref: string | TransportReference): TransportReference {
  return typeof ref === 'string' ? parseTransportReference(ref) : ref;
}

/** Opens what `ref` names for reading: `docker://…` (or bare), `oci:DIR[:TAG]`, `docker-archive:FILE[:REF]`. */
export function openSource(ref: string | TransportReference, ctx: EndpointContext = {}): ImageSource {
  const r = toReference(ref);
  switch (r.transport) {
    case 'docker':
      return new RegistrySource(new RegistryClient(pool(ctx).get(r.reference.registry)), r.reference);
    case 'oci':
      return new OciLayoutSource(r.dir, r.tag !== undefined ? { tag: r.tag } : {});
    case 'docker-archive':
      return new DockerArchiveSource(r.file, r.ref !== undefined ? { ref: r.ref } : {});
  }
}

/** Opens what `ref` names for writing; file destinations stay untouched until `commit()`. */
export function openDestination(ref: string | TransportReference, ctx: EndpointContext = {}): ImageDestination {
  const r = toReference(ref);
  switch (r.transport) {
    case 'docker':
      return new RegistryDestination(new RegistryClient(pool(ctx).get(r.reference.registry)), r.reference);
    case 'oci':
      return new OciLayoutDestination(r.dir, r.tag !== undefined ? { tag: r.tag } : {});
    case 'docker-archive':
      if (r.ref !== undefined && 'index' in r.ref) {
        throw new InvalidReferenceError(`docker-archive:${r.file}:@${r.ref.index}`, 'an image index (@N) selects an image to read; name the written image as NAME:TAG');
      }
      return new DockerArchiveDestination(r.file, r.ref !== undefined ? { tag: r.ref.tag } : {});
  }
}
