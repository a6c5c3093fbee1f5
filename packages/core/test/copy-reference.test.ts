import { describe, expect, it } from 'vitest';
import { InvalidReferenceError, formatTransportReference, parseTransportReference } from '../src/index.js';

describe('parseTransportReference', () => {
  it('reads the three transports and treats a bare reference as docker://', () => {
    expect(parseTransportReference('docker://ghcr.io/acme/app:v1')).toMatchObject({ transport: 'docker', reference: { registry: 'ghcr.io', repository: 'acme/app', tag: 'v1' } });
    expect(parseTransportReference('alpine')).toMatchObject({ transport: 'docker', reference: { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' } });
    expect(parseTransportReference('127.0.0.1:5000/a/b@sha256:' + 'a'.repeat(64))).toMatchObject({ transport: 'docker', reference: { registry: '127.0.0.1:5000', digest: `sha256:${'a'.repeat(64)}` } });
    expect(parseTransportReference('oci:/tmp/layout:v1')).toEqual({ transport: 'oci', dir: '/tmp/layout', tag: 'v1' });
    expect(parseTransportReference('oci:rel')).toEqual({ transport: 'oci', dir: 'rel' });
    expect(parseTransportReference('docker-archive:/tmp/a.tar:acme/app:v1')).toEqual({ transport: 'docker-archive', file: '/tmp/a.tar', ref: { tag: 'acme/app:v1' } });
    expect(parseTransportReference('docker-archive:a.tar:@1')).toEqual({ transport: 'docker-archive', file: 'a.tar', ref: { index: 1 } });
  });

  it('round-trips through formatTransportReference', () => {
    for (const s of ['docker://ghcr.io/acme/app:v1', 'oci:/tmp/layout:v1', 'docker-archive:/tmp/a.tar:acme/app:v1', 'docker-archive:/tmp/a.tar']) {
      expect(formatTransportReference(parseTransportReference(s))).toBe(s);
    }
  });

  it('names the bad part and lists the valid transports', () => {
    const unsupported = (): unknown => parseTransportReference('dir:/tmp/x');
    expect(unsupported).toThrow(InvalidReferenceError);
    expect(unsupported).toThrow(/transport "dir:" is not supported; valid transports: docker:\/\/.*oci:DIR\[:TAG\].*docker-archive:FILE/);
    expect(() => parseTransportReference('docker://UPPER/Case')).toThrow(/invalid reference "docker:\/\/UPPER\/Case".*valid transports/);
    expect(() => parseTransportReference('oci:')).toThrow(/no directory/);
    expect(() => parseTransportReference('docker-archive:')).toThrow(/no file/);
  });
});
