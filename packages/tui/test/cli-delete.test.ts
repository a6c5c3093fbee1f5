import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRandomImage, skopeo, skopeoCreds, startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

let reg: TestRegistry;
let home: Awaited<ReturnType<typeof makeHome>>;

beforeAll(async () => {
  home = await makeHome();
  reg = await startRegistry({ auth: 'htpasswd' });
  const login = await runCli(['login', reg.host, '-u', 'alice', '--password-stdin'], { home: home.dir, input: reg.users.alice });
  expect(login.code).toBe(0);
});
afterAll(() => home.remove());

describe('delete', () => {
  it('resolves a tag to its digest, deletes by digest, says so; inspect then exits 4', async () => {
    const image = await pushRandomImage(reg, 'app:old');
    const r = await runCli(['delete', `${reg.host}/app:old`], { home: home.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Deleted ${reg.host}/app@${image.digest}`);
    expect(r.stdout).toContain('tag old');
    // The access log proves the DELETE went to the digest, not the tag.
    expect(reg.logs()).toContain(`"DELETE /v2/app/manifests/${image.digest} HTTP/1.1" 202`);

    const gone = await runCli(['inspect', `${reg.host}/app:old`], { home: home.dir });
    expect(gone.code).toBe(4);
    expect(expectOneErrorLine(gone)).toContain('not found');
    const viaSkopeo = await skopeo(['inspect', ...skopeoCreds(reg), `docker://${reg.host}/app@${image.digest}`]);
    expect(viaSkopeo.code).not.toBe(0);
  });

  it('deletes by digest with --json', async () => {
    const image = await pushRandomImage(reg, 'pinned:v1');
    const r = await runCli(['delete', '--json', `${reg.host}/pinned@${image.digest}`], { home: home.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ deleted: `${reg.host}/pinned@${image.digest}`, repository: `${reg.host}/pinned`, digest: image.digest });
  });

  it('a tag that does not exist exits 4 and deletes nothing', async () => {
    const image = await pushRandomImage(reg, 'keep:v1');
    const before = reg.logs().length;
    const r = await runCli(['delete', `${reg.host}/keep:v2`], { home: home.dir });
    expect(r.code).toBe(4);
    expect(expectOneErrorLine(r)).toContain(`${reg.host}/keep:v2 not found; list the tags with "nextdeploy-tui tags ${reg.host}/keep"`);
    expect(reg.logs().slice(before)).not.toContain('"DELETE ');
    const still = await runCli(['inspect', '--json', `${reg.host}/keep:v1`], { home: home.dir });
    expect(JSON.parse(still.stdout)).toMatchObject({ digest: image.digest });
  });

  it('without credentials exits 3', async () => {
    await pushRandomImage(reg, 'locked:v1');
    const stranger = await makeHome();
    try {
      const r = await runCli(['delete', `${reg.host}/locked:v1`], { home: stranger.dir });
      expect(r.code).toBe(3);
      expect(expectOneErrorLine(r)).toContain(`nextdeploy-tui login ${reg.host}`);
    } finally {
      await stranger.remove();
    }
  });
});
