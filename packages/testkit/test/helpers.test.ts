import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { skopeo, skopeoCreds, skopeoOk, startRegistry, stopAll, tempDockerConfig, pushRandomImage, type TestRegistry } from '../src/index.js';

afterAll(stopAll);

const fakeRegistry = (mode: TestRegistry['mode']): TestRegistry => ({
  host: '127.0.0.1:5999',
  url: 'http://127.0.0.1:5999',
  mode,
  users: { alice: 'wonderland-secret', bob: 'b' },
  rootDir: '/nonexistent',
  pid: -1,
  logs: () => '',
  waitForLog: async () => '',
  stop: async () => {},
});

describe('skopeoCreds', () => {
  it('gives TLS-off flags, with creds only when the registry has auth', () => {
    expect(skopeoCreds(fakeRegistry('none'))).toEqual(['--tls-verify=false']);
    expect(skopeoCreds(fakeRegistry('htpasswd'))).toEqual(['--tls-verify=false', '--creds', 'alice:wonderland-secret']);
    expect(skopeoCreds(fakeRegistry('token'), 'dest')).toEqual(['--dest-tls-verify=false', '--dest-creds', 'alice:wonderland-secret']);
    expect(skopeoCreds(fakeRegistry('token'), { side: 'src', user: 'bob' })).toEqual(['--src-tls-verify=false', '--src-creds', 'bob:b']);
    expect(skopeoCreds(fakeRegistry('token'), { user: null })).toEqual(['--tls-verify=false']);
  });

  it('verifies a TLS registry against the directory of its CA instead of turning verification off', () => {
    const tls = { ...fakeRegistry('htpasswd'), caCertPath: '/reg/tls/ca/ca.crt' };
    expect(skopeoCreds(tls, 'src')).toEqual(['--src-cert-dir', '/reg/tls/ca', '--src-creds', 'alice:wonderland-secret']);
    expect(skopeoCreds({ ...tls, mode: 'none' })).toEqual(['--cert-dir', '/reg/tls/ca']);
  });
});

describe('skopeo', () => {
  it('returns the exit code and output instead of throwing; skopeoOk throws one line', async () => {
    const reg = await startRegistry();
    const missing = await skopeo(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/nope:1`]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/manifest unknown|not found/i);
    const err = await skopeoOk(['inspect', ...skopeoCreds(reg), `docker://${reg.host}/nope:1`]).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('\n');
  });

  it('copies registry to registry with src and dest creds', async () => {
    const a = await startRegistry({ auth: 'htpasswd' });
    const b = await startRegistry({ auth: 'token' });
    const pushed = await pushRandomImage(a, 'src/img:1');
    await skopeoOk(['copy', '--quiet', '--all', '--preserve-digests', ...skopeoCreds(a, 'src'), ...skopeoCreds(b, 'dest'), `docker://${pushed.reference}`, `docker://${b.host}/dst/img:1`]);
    const tags = await skopeoOk(['list-tags', ...skopeoCreds(b), `docker://${b.host}/dst/img`]);
    expect(JSON.parse(tags.stdout).Tags).toEqual(['1']);
  });
});

describe('tempDockerConfig', () => {
  it('writes auths as docker does and cleans up', async () => {
    const cfg = await tempDockerConfig(
      { '127.0.0.1:5000': { username: 'alice', password: 'pw' }, 'ghcr.io': { identitytoken: 'tok' } },
      { credHelpers: { 'x.example': 'fake' } },
    );
    expect(cfg.env).toEqual({ DOCKER_CONFIG: cfg.dir });
    const written = JSON.parse(await readFile(cfg.configPath, 'utf8'));
    expect(written.auths['127.0.0.1:5000'].auth).toBe(Buffer.from('alice:pw').toString('base64'));
    expect(written.auths['ghcr.io']).toEqual({ identitytoken: 'tok' });
    expect((await cfg.read()).credHelpers).toEqual({ 'x.example': 'fake' });
    await cfg.cleanup();
    expect(existsSync(cfg.dir)).toBe(false);
  });

  it('is readable by skopeo through --authfile', async () => {
    const reg = await startRegistry({ auth: 'htpasswd' });
    await pushRandomImage(reg, 'authfile/app:1');
    const cfg = await tempDockerConfig({ [reg.host]: { username: 'alice', password: reg.users.alice ?? '' } });
    const res = await skopeoOk(['list-tags', '--tls-verify=false', '--authfile', cfg.configPath, `docker://${reg.host}/authfile/app`]);
    expect(JSON.parse(res.stdout).Tags).toEqual(['1']);
  });
});
