/** Manifest and blob media types from the OCI image spec and Docker's image manifest v2 schema 2. */
export const MediaType = {
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerSchema1Manifest: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerSchema1SignedManifest: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',

  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  /** The `{}` config and layer of artifacts that carry no config. */
  OciEmpty: 'application/vnd.oci.empty.v1+json',

  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  OciNonDistributableLayer: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  OciNonDistributableLayerGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  OciNonDistributableLayerZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
} as const;

export type ManifestMediaType =
  | typeof MediaType.DockerManifest
  | typeof MediaType.DockerManifestList
  | typeof MediaType.OciManifest
  | typeof MediaType.OciIndex;

export const MANIFEST_MEDIA_TYPES: readonly ManifestMediaType[] = [
  MediaType.OciManifest,
  MediaType.OciIndex,
  MediaType.DockerManifest,
  MediaType.DockerManifestList,
];

/** Accept header for manifest requests: every type we can read, so registries never down-convert to schema 1. */
export const ACCEPT_ALL_MANIFESTS = MANIFEST_MEDIA_TYPES.join(', ');

const SCHEMA1_TYPES = new Set<string>([MediaType.DockerSchema1Manifest, MediaType.DockerSchema1SignedManifest]);
const INDEX_TYPES = new Set<string>([MediaType.OciIndex, MediaType.DockerManifestList]);
const FOREIGN_LAYER_TYPES = new Set<string>([
  MediaType.DockerForeignLayerGzip,
  MediaType.OciNonDistributableLayer,
  MediaType.OciNonDistributableLayerGzip,
  MediaType.OciNonDistributableLayerZstd,
]);

export function isManifestMediaType(mediaType: string): mediaType is ManifestMediaType {
  return (MANIFEST_MEDIA_TYPES as readonly string[]).includes(mediaType);
}

export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}

/** Docker's deprecated schema 1 manifest types, which we refuse rather than half-support. */
export function isSchema1MediaType(mediaType: string): boolean {
  return SCHEMA1_TYPES.has(mediaType);
}

/**
 * Layers that registries may refuse to store (Windows base layers): their bytes live at `urls`,
 * and copying tools skip them by default.
 */
export function isForeignLayerMediaType(mediaType: string): boolean {
  return FOREIGN_LAYER_TYPES.has(mediaType);
}

/** `application/vnd.oci.image.manifest.v1+json; charset=utf-8` -> the bare, lower-cased type. */
export function baseMediaType(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const bare = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return bare.length > 0 ? bare : undefined;
}
