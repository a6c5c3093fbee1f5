import { describe, expect, it } from 'vitest';
import {
  InvalidReferenceError,
  isEcrHost,
  familiarName,
  familiarReference,
  formatReference,
  parseReference,
  parseRepository,
  referenceIdentifier,
} from '../src/index.js';

const D = `sha256:${'a'.repeat(64)}`;
const D512 = `sha512:${'b'.repeat(128)}`;

describe('parseReference: valid forms', () => {
  const cases: Array<[string, { registry: string; repository: string; tag?: string; digest?: string }]> = [
    ['alpine', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }],
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
    ['user/app', { registry: 'docker.io', repository: 'user/app', tag: 'latest' }],
    ['docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }],
    ['index.docker.io/library/alpine:edge', { registry: 'docker.io', repository: 'library/alpine', tag: 'edge' }],
    ['registry-1.docker.io/user/app:v1', { registry: 'docker.io', repository: 'user/app', tag: 'v1' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
    ['localhost:5000/app:v1', { registry: 'localhost:5000', repository: 'app', tag: 'v1' }],
    ['127.0.0.1:5000/a/b/c:1.0', { registry: '127.0.0.1:5000', repository: 'a/b/c', tag: '1.0' }],
    ['[::1]:5000/app', { registry: '[::1]:5000', repository: 'app', tag: 'latest' }],
    ['[2001:db8::1]/app:t', { registry: '[2001:db8::1]', repository: 'app', tag: 't' }],
    ['ghcr.io/acme/app@' + D, { registry: 'ghcr.io', repository: 'acme/app', digest: D }],
    ['ghcr.io/acme/app:v2@' + D, { registry: 'ghcr.io', repository: 'acme/app', tag: 'v2', digest: D }],
    ['quay.io/a/b@' + D512, { registry: 'quay.io', repository: 'a/b', digest: D512 }],
    ['GHCR.IO/acme/app', { registry: 'ghcr.io', repository: 'acme/app', tag: 'latest' }],
    ['Registry/app', { registry: 'registry', repository: 'app', tag: 'latest' }],
    ['my-reg.example.com/a.b/c_d/e__f/g-h/i--j', { registry: 'my-reg.example.com', repository: 'a.b/c_d/e__f/g-h/i--j', tag: 'latest' }],
    ['app:_under', { registry: 'docker.io', repository: 'library/app', tag: '_under' }],
    ['app:' + 'x'.repeat(128), { registry: 'docker.io', repository: 'library/app', tag: 'x'.repeat(128) }],
    ['123456789.dkr.ecr.us-east-1.amazonaws.com/team/svc:1', { registry: '123456789.dkr.ecr.us-east-1.amazonaws.com', repository: 'team/svc', tag: '1' }],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it('leaves a bare reference without a tag when defaultTag is false, and uses a custom default', () => {
    expect(parseReference('alpine', { defaultTag: false })).toEqual({ registry: 'docker.io', repository: 'library/alpine' });
    expect(parseReference('alpine', { defaultTag: 'stable' }).tag).toBe('stable');
  });
});

describe('parseReference: invalid forms name the bad part', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /reference is empty/],
    ['alpine:x y', /whitespace/],
    ['alpine:-bad', /tag '-bad' is invalid/],
    ['alpine:.bad', /tag '.bad' is invalid/],
    ['alpine:' + 'x'.repeat(129), /tag 'x+' is invalid/],
    ['alpine:', /tag '' is invalid/],
    ['ghcr.io/Acme/app', /repository name must be lowercase/],
    ['docker.io/User/app', /repository name must be lowercase/],
    ['ghcr.io/acme//app', /empty component/],
    ['ghcr.io/acme/app/', /empty component/],
    ['ghcr.io/-acme/app', /path component '-acme' is invalid/],
    ['ghcr.io/a..b', /path component 'a..b' is invalid/],
    ['ghcr.io/a___b', /path component 'a___b' is invalid/],
    ['ghcr.io/', /repository path is empty/],
    ['-bad.io/app', /registry '-bad.io' is invalid/],
    ['host:port/app', /registry 'host:port' is invalid/],
    ['a@sha256:abc', /digest 'sha256:abc' is invalid/],
    ['a@md5:' + 'a'.repeat(32), /digest 'md5:a+' is not supported/],
    ['a@sha256:' + 'A'.repeat(64), /digest 'sha256:A+' is not supported/],
    ['a'.repeat(64), /image ID/],
    ['example.com/' + 'a'.repeat(250), /longer than 255/],
    ['@' + D, /repository name is empty/],
  ];
  it.each(cases)('%s', (input, message) => {
    const err = (() => {
      try {
        parseReference(input);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InvalidReferenceError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('parseRepository', () => {
  it('normalises like a reference', () => {
    expect(parseRepository('alpine')).toEqual({ registry: 'docker.io', repository: 'library/alpine' });
    expect(parseRepository('localhost:5000/team/app')).toEqual({ registry: 'localhost:5000', repository: 'team/app' });
  });
  it.each([
    ['alpine:3', /cannot carry a tag/],
    ['ghcr.io/a/b@' + D, /cannot carry a digest/],
    ['ghcr.io/A/b', /must be lowercase/],
  ])('rejects %s', (input, message) => {
    expect(() => parseRepository(input)).toThrow(message);
  });
});

describe('formatting', () => {
  it.each([
    ['alpine', 'docker.io/library/alpine:latest', 'alpine:latest'],
    ['user/app:v1', 'docker.io/user/app:v1', 'user/app:v1'],
    ['library/a/b', 'docker.io/library/a/b:latest', 'library/a/b:latest'],
    ['ghcr.io/acme/app:v2@' + D, `ghcr.io/acme/app:v2@${D}`, `ghcr.io/acme/app:v2@${D}`],
    ['[::1]:5000/app@' + D, `[::1]:5000/app@${D}`, `[::1]:5000/app@${D}`],
  ])('%s', (input, full, familiar) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(full);
    expect(familiarReference(ref)).toBe(familiar);
    expect(parseReference(full)).toEqual(ref);
  });

  it('familiarName drops docker.io and library/', () => {
    expect(familiarName({ registry: 'docker.io', repository: 'library/alpine' })).toBe('alpine');
    expect(familiarName({ registry: 'ghcr.io', repository: 'library/alpine' })).toBe('ghcr.io/library/alpine');
  });

  it('referenceIdentifier prefers the digest, then the tag', () => {
    expect(referenceIdentifier(parseReference('a:v1@' + D))).toBe(D);
    expect(referenceIdentifier(parseReference('a:v1'))).toBe('v1');
    expect(referenceIdentifier(parseReference('a', { defaultTag: false }))).toBe('latest');
  });
});

describe('isEcrHost', () => {
  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', true],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', true],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', true],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com:443', true],
    ['public.ecr.aws', false],
    ['dkr.ecr.us-east-1.amazonaws.com.evil.example', false],
  ])('%s -> %s', (host, expected) => {
    expect(isEcrHost(host)).toBe(expected);
  });
});
