import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { pushRandomImage, skopeo, startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

const USER = 'alice';
const PASSWORD = 'wonderland-secret';

async function readConfig(path: string): Promise<{ auths: Record<string, { auth?: string }> }> {
  return JSON.parse(await readFile(path, 'utf8')) as { auths: Record<string, { auth?: string }> };
}

for (const mode of ['htpasswd', 'token'] as const) {
  describe(`login/logout against a ${mode} registry`, () => {
    let reg: TestRegistry;
    beforeAll(async () => {
      reg = await startRegistry({ auth: mode });
      await pushRandomImage(reg, 'app:v1');
    });

    it('saves verified credentials (0600) that skopeo can use, then logs out', async () => {
      const home = await makeHome();
      try {
        const login = await runCli(['login', reg.host, '-u', USER, '--password-stdin'], { home: home.dir, input: `${PASSWORD}\n` });
        expect(login.stderr).toBe('');
        expect(login.code).toBe(0);
        expect(login.stdout).toContain(`Login succeeded: ${USER} at ${reg.host}`);
        expect(login.stdout).toContain(home.configPath);

        expect((await stat(home.configPath)).mode & 0o777).toBe(0o600);
        const config = await readConfig(home.configPath);
        expect(Buffer.from(config.auths[reg.host]!.auth!, 'base64').toString()).toBe(`${USER}:${PASSWORD}`);

        // Interop: docker's other consumers read what we wrote.
        const inspected = await skopeo(['inspect', '--tls-verify=false', '--authfile', home.configPath, `docker://${reg.host}/app:v1`]);
        expect(inspected.stderr).toBe('');
        expect(inspected.code).toBe(0);

        // …and so do we: inspect now authenticates from config.json.
        const inspect = await runCli(['inspect', `${reg.host}/app:v1`], { home: home.dir });
        expect(inspect.code).toBe(0);

        const logout = await runCli(['logout', reg.host], { home: home.dir });
        expect(logout.code).toBe(0);
        expect(logout.stdout).toContain(`Removed the credentials for ${reg.host}`);
        expect((await readConfig(home.configPath)).auths[reg.host]).toBeUndefined();

        const again = await runCli(['logout', reg.host], { home: home.dir });
        expect(again.code).toBe(0);
        expect(again.stdout).toContain(`Not logged in to ${reg.host}`);

        const denied = await runCli(['inspect', `${reg.host}/app:v1`], { home: home.dir });
        expect(denied.code).toBe(3);
        expectOneErrorLine(denied);
      } finally {
        await home.remove();
      }
    });

    it('a wrong password exits 3 with one line and writes nothing', async () => {
      const home = await makeHome();
      try {
        const r = await runCli(['login', reg.host, '-u', USER, '--password-stdin'], { home: home.dir, input: 'not-the-password\n' });
        expect(r.code).toBe(3);
        const line = expectOneErrorLine(r);
        expect(line).toContain(reg.host);
        expect(line).toContain(`"${USER}"`);
        expect(line).not.toContain('not-the-password');
        expect(r.stdout).toBe('');
        expect(existsSync(home.configPath)).toBe(false);
      } finally {
        await home.remove();
      }
    });

    it('a wrong password leaves an existing config.json byte for byte as it was', async () => {
      const home = await makeHome();
      try {
        const before = `${JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('bob:x').toString('base64') } }, credHelpers: {} }, null, 2)}\n`;
        await writeFile(home.configPath, before, { mode: 0o600 });
        const r = await runCli(['login', reg.host, '-u', USER, '--password-stdin'], { home: home.dir, input: 'wrong' });
        expect(r.code).toBe(3);
        expect(await readFile(home.configPath, 'utf8')).toBe(before);
      } finally {
        await home.remove();
      }
    });

    it('-p works but warns that it is insecure; --debug never shows the password or a token', async () => {
      const home = await makeHome();
      try {
        const r = await runCli(['--debug', 'login', reg.host, '-u', USER, '-p', PASSWORD], { home: home.dir });
        expect(r.code).toBe(0);
        expect(r.stderr).toMatch(/^nextdeploy-tui: warning: --password on the command line is insecure/m);
        expect(r.stderr).toMatch(/^nextdeploy-tui: debug: GET http:\/\/127\.0\.0\.1:\d+\/v2\/ -> 401/m);

        const inspect = await runCli(['--debug', 'inspect', `${reg.host}/app:v1`], { home: home.dir });
        expect(inspect.code).toBe(0);
        for (const out of [r.stderr, inspect.stderr]) {
          expect(out).not.toContain(PASSWORD);
          expect(out).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
          expect(out).not.toMatch(/Bearer |Basic |eyJ[\w-]+\.|access_token|[?&](token|password)=/i);
        }
      } finally {
        await home.remove();
      }
    });
  });
}

describe('login stores Docker Hub under its historical key', () => {
  it('logout finds an index.docker.io/v1 entry by any Docker Hub alias', async () => {
    const home = await makeHome();
    try {
      const entry = { auth: Buffer.from('bob:hub-secret').toString('base64') };
      await writeFile(home.configPath, JSON.stringify({ auths: { 'https://index.docker.io/v1/': entry, 'ghcr.io': entry } }), { mode: 0o600 });
      const r = await runCli(['logout', 'registry-1.docker.io'], { home: home.dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Removed the credentials for docker.io');
      const config = await readConfig(home.configPath);
      expect(Object.keys(config.auths)).toEqual(['ghcr.io']);
      expect((await stat(home.configPath)).mode & 0o777).toBe(0o600);
    } finally {
      await home.remove();
    }
  });
});
