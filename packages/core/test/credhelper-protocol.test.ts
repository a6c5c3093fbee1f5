import { readFileSync } from 'node:fs';
import { fakeCredentialHelper } from '@nextdeploy/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CredentialHelper,
  CredentialHelperError,
  CredentialHelperKeychain,
  eraseCredentials,
  helperFor,
  helperServerUrl,
  storeCredentials,
} from '../src/index.js';

const fake = await fakeCredentialHelper('fake', {
  'docker-credential-broken': '#!/bin/sh\necho "keychain is locked"\nexit 1\n',
  'docker-credential-garbage': '#!/bin/sh\necho "Secret: hunter2"\n',
});
const store = fake.env.FAKE_HELPER_STORE!;
const env = { ...process.env, ...fake.env };
afterAll(() => fake.cleanup());

describe('CredentialHelper protocol against a helper on PATH', () => {
  const helper = new CredentialHelper('fake', { env });

  it('store then get round-trips; a miss is undefined, not an error', async () => {
    expect(await helper.get('127.0.0.1:5000')).toBeUndefined();
    await helper.store('127.0.0.1:5000', { username: 'alice', password: 's3cret' });
    expect(await helper.get('127.0.0.1:5000')).toEqual({ username: 'alice', password: 's3cret' });
    expect(JSON.parse(readFileSync(store, 'utf8'))).toEqual({ '127.0.0.1:5000': { Username: 'alice', Secret: 's3cret' } });
  });

  it('keeps identity tokens under the <token> username, as docker does', async () => {
    await helper.store('ghcr.io', { identityToken: 'refresh-abc' });
    expect(JSON.parse(readFileSync(store, 'utf8'))['ghcr.io']).toEqual({ Username: '<token>', Secret: 'refresh-abc' });
    expect(await helper.get('ghcr.io')).toEqual({ identityToken: 'refresh-abc' });
  });

  it('lists and erases; erasing a missing entry is fine', async () => {
    expect(await helper.list()).toMatchObject({ '127.0.0.1:5000': 'alice', 'ghcr.io': '<token>' });
    await helper.erase('ghcr.io');
    await helper.erase('ghcr.io');
    expect(await helper.get('ghcr.io')).toBeUndefined();
  });

  it('turns a failing, missing or garbage-printing helper into one clear line without echoing output', async () => {
    await expect(new CredentialHelper('broken', { env }).get('x.test')).rejects.toThrow(
      'docker-credential-broken: get failed (exit 1): keychain is locked',
    );
    const missing = await new CredentialHelper('absent', { env }).get('x.test').catch((e: unknown) => e as CredentialHelperError);
    expect(missing).toBeInstanceOf(CredentialHelperError);
    expect((missing as Error).message).toBe(
      "docker-credential-absent: not found on PATH; install docker-credential-absent or remove it from credsStore/credHelpers in docker's config.json",
    );
    const garbage = (await new CredentialHelper('garbage', { env }).get('x.test').catch((e: unknown) => e)) as Error;
    expect(garbage.message).toBe('docker-credential-garbage: get printed something that is not a JSON object; the helper is broken or not a docker credential helper');
    expect(garbage.message).not.toContain('hunter2');
    await expect(new CredentialHelper('../../bin/sh', { env }).get('x')).rejects.toThrow('invalid helper name');
  });
});

describe('docker config credsStore / credHelpers', () => {
  it('credHelpers[host] wins over credsStore; Docker Hub uses its historical server URL', () => {
    const config = { credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud', 'https://index.docker.io/v1/': 'hub' } };
    expect(helperFor(config, 'gcr.io')).toBe('gcloud');
    expect(helperFor(config, 'registry-1.docker.io')).toBe('hub');
    expect(helperFor(config, 'ghcr.io')).toBe('desktop');
    expect(helperFor({}, 'ghcr.io')).toBeUndefined();
    expect(helperServerUrl('index.docker.io')).toBe('https://index.docker.io/v1/');
    expect(helperServerUrl('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });

  it('login/logout go through the configured helper; the keychain reads back through it', async () => {
    const config = { credHelpers: { 'registry.example.test:5443': 'fake' } };
    expect(await storeCredentials(config, 'registry.example.test:5443', { username: 'bob', password: 'pw-1' }, { env })).toBe('fake');
    expect(await storeCredentials({}, 'registry.example.test:5443', { username: 'bob', password: 'pw-1' }, { env })).toBeUndefined();

    const keychain = new CredentialHelperKeychain({ credsStore: 'fake', ...config }, { env });
    const auth = await keychain.resolve({ registry: 'registry.example.test:5443', repository: 'team/app' });
    expect(await auth.authorization()).toEqual({ username: 'bob', password: 'pw-1' });
    expect(await auth.authorization()).toEqual({ username: 'bob', password: 'pw-1' });
    // no entry in the store -> anonymous, so the auths keychain behind this one gets its turn
    expect(await (await keychain.resolve({ registry: 'other.test' })).authorization()).toEqual({});
    expect(await (await new CredentialHelperKeychain({}, { env }).resolve({ registry: 'other.test' })).authorization()).toEqual({});

    expect(await eraseCredentials(config, 'registry.example.test:5443', { env })).toBe('fake');
    expect(await new CredentialHelper('fake', { env }).get('registry.example.test:5443')).toBeUndefined();
    const log = readFileSync(`${store}.log`, 'utf8').trim().split('\n');
    // the second authorization() was served from cache: one get for the host, not two
    expect(log.filter((l) => l === 'get registry.example.test:5443')).toHaveLength(2);
    expect(log).toContain('store registry.example.test:5443');
    expect(log).toContain('erase registry.example.test:5443');
  });

  it('honours an AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by user'));
    await expect(new CredentialHelper('fake', { env }).get('x.test', controller.signal)).rejects.toThrow('cancelled by user');
  });
});
