/**
 * Where credentials go and come from, end to end through the built binary: docker credential
 * helpers on login/logout, `-r/--registry TYPE` forcing a provider, and a profile's `insecure`.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentialHelper, pushRandomImage, startRegistry, stopAll, type FakeCredentialHelper, type TestRegistry } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

let registry: TestRegistry;
let helper: FakeCredentialHelper;
const password = (): string => registry.users.alice!;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  await pushRandomImage(registry, 'team/app:v1');
  helper = await fakeCredentialHelper('fake');
});
afterAll(() => helper?.cleanup());

describe('login and logout through a credential helper', () => {
  it('stores the secret with the helper docker names, and nowhere else', async () => {
    const home = await makeHome();
    try {
      writeFileSync(home.configPath, JSON.stringify({ credsStore: 'fake', auths: {} }));
      const login = await runCli(['login', registry.host, '-u', 'alice', '--password-stdin'], { home: home.dir, input: password(), env: helper.env });
      expect(login.code).toBe(0);
      expect(login.stdout).toContain('docker-credential-fake');
      expect((await helper.entries())[registry.host]).toEqual({ Username: 'alice', Secret: password() });
      const config = JSON.parse(readFileSync(home.configPath, 'utf8')) as { auths: Record<string, unknown>; credsStore: string };
      expect(config).toEqual({ credsStore: 'fake', auths: {} });

      // the stored entry is what later commands authenticate with
      const tags = await runCli(['tags', `${registry.host}/team/app`], { home: home.dir, env: helper.env });
      expect(tags.code).toBe(0);
      expect(tags.stdout.trim()).toBe('v1');

      const logout = await runCli(['logout', registry.host], { home: home.dir, env: helper.env });
      expect(logout.code).toBe(0);
      expect(logout.stdout).toContain('docker-credential-fake');
      expect((await helper.entries())[registry.host]).toBeUndefined();
      expect(await helper.log()).toEqual(expect.arrayContaining([`store ${registry.host}`, `erase ${registry.host}`]));
    } finally {
      await home.remove();
    }
  });
});

describe('-r, --registry TYPE', () => {
  it('forces the provider whose environment variables hold the credentials', async () => {
    const home = await makeHome();
    try {
      const env = { GHCR_USERNAME: 'alice', GHCR_TOKEN: password() };
      const forced = await runCli(['-r', 'ghcr', 'tags', `${registry.host}/team/app`], { home: home.dir, env });
      expect(forced.code).toBe(0);
      expect(forced.stdout.trim()).toBe('v1');
      // the same variables mean nothing for a host that is not GHCR unless the type is forced
      const detected = await runCli(['tags', `${registry.host}/team/app`], { home: home.dir, env });
      expect(detected.code).toBe(3);
      expectOneErrorLine(detected);
      expect(detected.stderr).not.toContain(password());
    } finally {
      await home.remove();
    }
  });
});

describe('a profile marked insecure', () => {
  it('lets a non-loopback-looking host use plain HTTP without --insecure', async () => {
    const home = await makeHome();
    try {
      // 127.1 reaches loopback but is not spelled as a loopback host, so it is https unless marked insecure
      const host = registry.host.replace('127.0.0.1', '127.1');
      const rc = join(home.dir, '.nextdeployrc.yaml');
      const env = { LOCAL_PW: password() };
      const refused = await runCli(['tags', `${host}/team/app`, '--retry', '0'], { home: home.dir, env });
      expect(refused.code).toBe(1);
      expect(expectOneErrorLine(refused)).toMatch(/--insecure/);

      writeFileSync(rc, `profiles:\n  lab:\n    registry: "${host}"\n    insecure: true\n    username: alice\n    passwordEnv: LOCAL_PW\n`);
      expect(existsSync(rc)).toBe(true);
      const allowed = await runCli(['--config', rc, 'tags', `${host}/team/app`], { home: home.dir, env });
      expect(allowed.stderr).toBe('');
      expect(allowed.code).toBe(0);
      expect(allowed.stdout.trim()).toBe('v1');
    } finally {
      await home.remove();
    }
  });
});
