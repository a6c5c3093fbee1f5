import { describe, expect, it } from 'vitest';
import {
  ACCEPT_ALL_MANIFESTS,
  ManifestError,
  MediaType,
  findPlatformManifest,
  formatPlatform,
  isIndex,
  manifestBlobs,
  manifestChildren,
  matchPlatform,
  parseManifest,
  parsePlatform,
  type ImageIndex,
} from '../src/index.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const config = { mediaType: MediaType.OciConfig, digest: d('c'), size: 10 };
const layer = { mediaType: MediaType.OciLayerGzip, digest: d('1'), size: 100 };
const ociManifest = { schemaVersion: 2, mediaType: MediaType.OciManifest, config, layers: [layer] };
const dockerManifest = {
  schemaVersion: 2,
  mediaType: MediaType.DockerManifest,
  config: { ...config, mediaType: MediaType.DockerConfig },
  layers: [{ ...layer, mediaType: MediaType.DockerLayerGzip }],
};
const index = {
  schemaVersion: 2,
  mediaType: MediaType.OciIndex,
  manifests: [
    { mediaType: MediaType.OciManifest, digest: d('a'), size: 500, platform: { os: 'linux', architecture: 'amd64' } },
    { mediaType: MediaType.OciManifest, digest: d('b'), size: 500, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
    { mediaType: MediaType.OciManifest, digest: d('e'), size: 500, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { mediaType: MediaType.OciManifest, digest: d('f'), size: 500, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ],
};
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const without = <T extends object>(o: T, k: keyof T) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));

describe('parseManifest: media type', () => {
  it.each([
    ['OCI manifest, declared', json(ociManifest), undefined, MediaType.OciManifest],
    ['Docker manifest, declared', json(dockerManifest), 'application/json', MediaType.DockerManifest],
    ['OCI index, declared', json(index), MediaType.OciIndex, MediaType.OciIndex],
    ['OCI manifest from header with charset', json(without(ociManifest, 'mediaType')), `${MediaType.OciManifest}; charset=utf-8`, MediaType.OciManifest],
    ['Docker list from header', json(without(index, 'mediaType')), MediaType.DockerManifestList, MediaType.DockerManifestList],
    ['index by shape', json(without(index, 'mediaType')), 'application/octet-stream', MediaType.OciIndex],
    ['OCI image by shape', json(without(ociManifest, 'mediaType')), undefined, MediaType.OciManifest],
    ['Docker image by config type', json(without(dockerManifest, 'mediaType')), 'text/plain', MediaType.DockerManifest],
  ])('%s', (_name, bytes, contentType, expected) => {
    const parsed = parseManifest(bytes, contentType);
    expect(parsed.mediaType).toBe(expected);
  });

  it('advertises all four manifest types in Accept', () => {
    for (const t of [MediaType.OciManifest, MediaType.OciIndex, MediaType.DockerManifest, MediaType.DockerManifestList]) {
      expect(ACCEPT_ALL_MANIFESTS.split(', ')).toContain(t);
    }
  });
});

describe('parseManifest: rejects', () => {
  const cases: Array<[string, Uint8Array | string, string | undefined, RegExp]> = [
    ['not JSON', '{nope', undefined, /not valid JSON/],
    ['an array', '[]', undefined, /not a JSON object/],
    ['schema 1 body', json({ schemaVersion: 1, name: 'x', fsLayers: [] }), undefined, /schema version 1.*not supported/],
    ['schema 1 header', json(ociManifest), MediaType.DockerSchema1SignedManifest, /schema 1 manifests are deprecated/],
    ['schemaVersion 3', json({ ...ociManifest, schemaVersion: 3 }), undefined, /schemaVersion is 3/],
    ['header/body mismatch', json(ociManifest), MediaType.DockerManifest, /declares mediaType .*oci.* but was served as .*docker/],
    ['unknown type', json({ ...ociManifest, mediaType: 'application/vnd.oci.artifact.manifest.v1+json' }), undefined, /unsupported manifest media type/],
    ['neither shape', json({ schemaVersion: 2 }), undefined, /neither "manifests"/],
    ['bad layer digest', json({ ...ociManifest, layers: [{ ...layer, digest: 'sha256:zz' }] }), undefined, /layers\[0\] has an invalid digest/],
    ['negative size', json({ ...ociManifest, config: { ...config, size: -1 } }), undefined, /config has an invalid size -1/],
    ['fractional size', json({ ...ociManifest, layers: [{ ...layer, size: 1.5 }] }), undefined, /layers\[0\] has an invalid size/],
    ['missing layers', json(without(ociManifest, 'layers')), undefined, /no "layers" array/],
    ['index with config', json({ ...index, config }), undefined, /must not contain "config"/],
    ['bad platform', json({ ...index, manifests: [{ ...index.manifests[0], platform: { os: 'linux' } }] }), undefined, /manifests\[0\].platform needs/],
    ['bad annotations', json({ ...ociManifest, annotations: { a: 1 } }), undefined, /annotations must map strings/],
  ];
  it.each(cases)('%s', (_name, bytes, contentType, message) => {
    expect(() => parseManifest(bytes, contentType)).toThrow(ManifestError);
    expect(() => parseManifest(bytes, contentType)).toThrow(message);
  });
});

describe('children and blobs', () => {
  it('lists config then layers for an image, manifests for an index', () => {
    const image = parseManifest(json(ociManifest)).manifest;
    expect(isIndex(image)).toBe(false);
    expect(manifestChildren(image).map((x) => x.digest)).toEqual([d('c'), d('1')]);
    expect(manifestBlobs(image)).toEqual(manifestChildren(image));
    const idx = parseManifest(json(index)).manifest;
    expect(isIndex(idx)).toBe(true);
    expect(manifestChildren(idx)).toHaveLength(4);
    expect(manifestBlobs(idx)).toEqual([]);
  });
});

describe('platforms', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/x86_64', { os: 'linux', architecture: 'amd64' }],
    ['linux/aarch64', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ['linux/arm/v6', { os: 'linux', architecture: 'arm', variant: 'v6' }],
    ['Windows/AMD64', { os: 'windows', architecture: 'amd64' }],
  ])('parsePlatform(%s)', (input, expected) => {
    expect(parsePlatform(input)).toEqual(expected);
  });

  it.each(['linux', 'linux/', 'a/b/c/d', 'linux/amd 64'])('parsePlatform rejects %s', (input) => {
    expect(() => parsePlatform(input)).toThrow(/os\/arch\[\/variant\]/);
  });

  it.each([
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64', true],
    [{ os: 'linux', architecture: 'amd64' }, 'linux/arm64', false],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64', true],
    [{ os: 'linux', architecture: 'arm64' }, 'linux/arm64/v8', true],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, 'linux/arm', true],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, 'linux/arm/v7', false],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7', true],
    [{ os: 'windows', architecture: 'amd64' }, 'linux/amd64', false],
    [undefined, 'linux/amd64', false],
  ])('matchPlatform(%o, %s) = %s', (platform, wanted, expected) => {
    expect(matchPlatform(platform, wanted)).toBe(expected);
  });

  it('findPlatformManifest prefers the exact or default variant', () => {
    const idx = index as ImageIndex;
    expect(findPlatformManifest(idx, 'linux/arm')?.digest).toBe(d('e'));
    expect(findPlatformManifest(idx, 'linux/arm/v6')?.digest).toBe(d('b'));
    expect(findPlatformManifest(idx, 'linux/arm64')?.digest).toBe(d('f'));
    expect(findPlatformManifest(idx, 'linux/s390x')).toBeUndefined();
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
  });
});
