import { beforeAll, describe, expect, it } from 'vitest';
import { pushRandomImage, skopeoOk } from '@nextdeploy/testkit';
import { KEY, uiTestEnvironment, type UiHarness } from './ui-harness.js';

const env = uiTestEnvironment({ auth: 'htpasswd', dockerConfig: (reg) => [{ [reg.host]: { username: 'alice', password: reg.users.alice! } }] });

let ui: UiHarness | undefined;
let pushedDigest: string;
let multi: Awaited<ReturnType<typeof pushRandomImage>>;

beforeAll(async () => {
  const pushed = await pushRandomImage(env.reg, 'team/app:v1', { layers: 2 });
  pushedDigest = pushed.digest;
  await pushRandomImage(env.reg, 'team/app:v2');
  await pushRandomImage(env.reg, 'other/tool:latest');
  multi = await pushRandomImage(env.reg, 'multi/app:v1', {
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
  });
});

describe('browsing a real registry', () => {
  it('goes registries -> repositories -> tags -> manifest and shows the digest skopeo reports', async () => {
    ui = env.render();
    await ui.waitFor((f) => f.includes(env.reg.host) && f.includes('logged in as alice'), 'the registry list');
    await ui.press(KEY.enter);
    await ui.waitFor((f) => f.includes('team/app') && f.includes('other/tool'), 'the catalog');
    // the catalog is sorted: multi/app, other/tool, team/app
    await ui.press(KEY.down, KEY.down, KEY.enter);
    await ui.waitFor((f) => f.includes('v1') && f.includes('v2') && f.includes('team/app › tags'), 'the tags');
    await ui.press(KEY.enter);
    const frame = await ui.waitFor((f) => f.includes('Digest'), 'the manifest');

    const inspected = await skopeoOk(['inspect', '--tls-verify=false', '--creds', `alice:${env.reg.users.alice}`, `docker://${env.reg.host}/team/app:v1`]);
    const skopeoDigest = (JSON.parse(inspected.stdout) as { Digest: string }).Digest;
    expect(skopeoDigest).toBe(pushedDigest);
    expect(frame).toContain(skopeoDigest);
    expect(frame).toContain('Layers      2,');
    expect(frame).toContain('linux/amd64');
    expect(frame).not.toContain(env.reg.users.alice!);

    // Esc walks back up, restoring where the cursor was.
    await ui.press(KEY.esc);
    await ui.waitFor((f) => f.includes('team/app › tags'), 'back on the tags');
    await ui.press(KEY.esc);
    await ui.waitFor((f) => f.includes('› repositories') && f.includes('team/app'), 'back on the repositories');
    expect(ui.store.getState().stack.at(-1)?.cursor).toBe(2);
  });

  it('filters the catalog with /', async () => {
    ui = env.render();
    await ui.waitFor((f) => f.includes(env.reg.host), 'the registry list');
    await ui.press(KEY.enter);
    await ui.waitFor((f) => f.includes('team/app') && f.includes('other/tool'), 'the catalog');
    await ui.press('/', 't', 'o', 'o');
    const typing = await ui.waitFor((f) => f.includes('/too'), 'the filter being typed');
    expect(typing).toContain('other/tool');
    expect(typing).not.toContain('team/app');
    await ui.press(KEY.enter);
    await ui.waitFor((f) => f.includes('filter: too') && f.includes('1 of 3 repositories'), 'the kept filter');
    // while not typing, letters are keys again: q would quit, so just open the one match
    await ui.press(KEY.enter);
    await ui.waitFor((f) => f.includes('other/tool › tags') && f.includes('latest'), 'the filtered repository');
    await ui.press(KEY.esc, '/', KEY.esc);
    await ui.waitFor((f) => f.includes('team/app') && f.includes('other/tool') && !f.includes('filter:'), 'the filter cleared');
  });

  it('keeps every letter of a filter typed faster than the screen redraws', async () => {
    ui = env.render();
    await ui.waitFor((f) => f.includes(env.reg.host), 'the registry list');
    await ui.press(KEY.enter);
    await ui.waitFor((f) => f.includes('team/app') && f.includes('other/tool'), 'the catalog');
    await ui.press('/');
    ui.pressAtOnce('t', 'o', 'o');
    const typing = await ui.waitFor((f) => f.includes('/too') && !f.includes('team/app'), 'the whole filter applied');
    expect(typing).toContain('other/tool');
  });

  it('lists the platforms of an index and opens one; keys arriving in one read run one by one', async () => {
    ui = env.render();
    ui.store.getState().push({ screen: 'manifest', registry: env.reg.host, repository: 'multi/app', reference: 'v1' });
    const index = await ui.waitFor((f) => f.includes('Platforms   2'), 'the index');
    expect(index).toContain(multi.digest);
    expect(index).toMatch(/linux\/amd64\s+sha256:/);
    expect(index).toMatch(/linux\/arm64\/v8\s+sha256:/);
    // "j" and Enter in one write, as a fast typist or tmux send-keys delivers them
    await ui.press('j\r');
    const arm = multi.images.find((i) => i.platform.architecture === 'arm64')!;
    const child = await ui.waitFor((f) => f.includes(`Digest      ${arm.manifestDigest}`), 'the arm64 manifest');
    expect(child).toContain('Platform    linux/arm64/v8');
    expect(child).toContain(arm.layers[0]!.digest);
  });
});
