import { describe, expect, it } from 'vitest';
import { mergeScopes, parseScope, parseWwwAuthenticate, pickChallenge, repositoryOfScopes, scopesCover } from '../src/auth/index.js';

describe('parseWwwAuthenticate', () => {
  const table: Array<[string, string, ReturnType<typeof parseWwwAuthenticate>]> = [
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' } }],
    ],
    [
      'GHCR',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:octo/app:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:octo/app:pull' } }],
    ],
    [
      'ACR with insufficient_scope',
      'Bearer realm="https://myreg.azurecr.io/oauth2/token",service="myreg.azurecr.io",scope="repository:app:pull,push",error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://myreg.azurecr.io/oauth2/token', service: 'myreg.azurecr.io', scope: 'repository:app:pull,push', error: 'insufficient_scope' },
        },
      ],
    ],
    [
      'ECR Basic',
      'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"',
      [{ scheme: 'basic', params: { realm: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/', service: 'ecr.amazonaws.com' } }],
    ],
    [
      'distribution htpasswd',
      'Basic realm="nextdeploy-testkit"',
      [{ scheme: 'basic', params: { realm: 'nextdeploy-testkit' } }],
    ],
    [
      'two challenges joined by Headers.get',
      'Basic realm="legacy", Bearer realm="https://quay.io/v2/auth",service="quay.io"',
      [
        { scheme: 'basic', params: { realm: 'legacy' } },
        { scheme: 'bearer', params: { realm: 'https://quay.io/v2/auth', service: 'quay.io' } },
      ],
    ],
    [
      'escaped quotes and commas inside quotes',
      'Bearer realm="https://a.example/t",error="invalid_token",error_description="the \\"token\\" expired, renew it"',
      [{ scheme: 'bearer', params: { realm: 'https://a.example/t', error: 'invalid_token', error_description: 'the "token" expired, renew it' } }],
    ],
    [
      'upper-case scheme and parameter names, spaces around =',
      'BEARER Realm = "https://r.example/token" , Service=svc',
      [{ scheme: 'bearer', params: { realm: 'https://r.example/token', service: 'svc' } }],
    ],
    [
      'token68 before a parameterised challenge',
      'Negotiate YWJjZA==, Basic realm="r"',
      [
        { scheme: 'negotiate', params: {}, token68: 'YWJjZA==' },
        { scheme: 'basic', params: { realm: 'r' } },
      ],
    ],
    ['empty', '', []],
  ];

  it.each(table)('%s', (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('keeps a space-separated scope list whole', () => {
    const [c] = parseWwwAuthenticate('Bearer realm="https://r/t",scope="repository:a:pull repository:b:pull,push"');
    expect(c!.params.scope).toBe('repository:a:pull repository:b:pull,push');
  });

  it('survives an unterminated quoted string', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://r/t')).toEqual([{ scheme: 'bearer', params: { realm: 'https://r/t' } }]);
  });

  it('prefers Bearer over Basic whatever the order', () => {
    expect(pickChallenge(parseWwwAuthenticate('Basic realm="x", Bearer realm="https://y/t"'))?.scheme).toBe('bearer');
    expect(pickChallenge(parseWwwAuthenticate('Negotiate abc'))).toBeUndefined();
  });
});

describe('scopes', () => {
  it('splits actions at the last colon so registry ports survive', () => {
    expect(parseScope('repository:localhost:5000/app:pull,push')).toEqual({ type: 'repository', name: 'localhost:5000/app', actions: ['pull', 'push'] });
    expect(parseScope('nonsense')).toBeUndefined();
  });

  it('merges actions per resource into a sorted, stable list', () => {
    expect(mergeScopes(['repository:b:push', 'repository:a:pull'], ['repository:b:pull repository:a:pull'])).toEqual([
      'repository:a:pull',
      'repository:b:pull,push',
    ]);
  });

  it('knows when granted scopes cover what is asked', () => {
    expect(scopesCover(['repository:a:pull,push'], ['repository:a:push'])).toBe(true);
    expect(scopesCover(['repository:a:pull'], ['repository:a:push'])).toBe(false);
    expect(scopesCover(['registry:catalog:*'], ['registry:catalog:search'])).toBe(true);
  });

  it('names the repository a request is about', () => {
    expect(repositoryOfScopes(['registry:catalog:*', 'repository:team/app:pull'])).toBe('team/app');
    expect(repositoryOfScopes([])).toBeUndefined();
  });
});
