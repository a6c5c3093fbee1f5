import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRandomImage, skopeo, skopeoOk, startLinkShaper } from '@nextdeploy/testkit';
import { KEY, uiTestEnvironment, type UiHarness } from './ui-harness.js';

const env = uiTestEnvironment({ auth: 'none' });

let ui: UiHarness | undefined;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'nextdeploy-ui-images-'));
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

async function listTags(repo: string): Promise<string[]> {
  const out = await skopeoOk(['list-tags', '--tls-verify=false', `docker://${env.reg.host}/${repo}`]);
  return ((JSON.parse(out.stdout) as { Tags: string[] | null }).Tags ?? []).sort();
}

async function openTags(h: UiHarness, repo: string): Promise<void> {
  h.store.getState().push({ screen: 'tags', registry: env.reg.host, repository: repo });
  await h.waitFor((f) => f.includes(`${repo} › tags`) && !f.includes('loading'), `the tags of ${repo}`);
}

describe('delete', () => {
  it('asks first, does nothing on n, deletes on y and reloads the tags', async () => {
    await pushRandomImage(env.reg, 'del/app:v1');
    await pushRandomImage(env.reg, 'del/app:v2');
    ui = env.render();
    await openTags(ui, 'del/app');
    await ui.press('d');
    await ui.waitFor((f) => f.includes('Delete del/app:v1?'), 'the confirm dialog');
    // while the dialog is open, q is not quit and j does not move
    await ui.press('j', 'n');
    await ui.waitFor((f) => !f.includes('Delete del/app:v1?'), 'the dialog closed');
    expect(await listTags('del/app')).toEqual(['v1', 'v2']);

    await ui.press('d');
    await ui.waitFor((f) => f.includes('Delete del/app:v1?'), 'the confirm dialog again');
    await ui.press('y');
    await ui.waitFor((f) => f.includes(`Deleted ${env.reg.host}/del/app@sha256:`) && !/\bv1\b/.test(f.split('\n').slice(0, -1).join('\n')), 'the deletion');
    expect(await listTags('del/app')).toEqual(['v2']);
  });

  it('deletes from the manifest screen by digest and goes back', async () => {
    const pushed = await pushRandomImage(env.reg, 'del/one:only');
    ui = env.render();
    await openTags(ui, 'del/one');
    await ui.press(KEY.enter);
    await ui.waitFor((f) => f.includes(pushed.digest), 'the manifest');
    await ui.press('d');
    await ui.waitFor((f) => f.includes(`Delete del/one@${pushed.digest}?`), 'the confirm dialog');
    await ui.press('y');
    await ui.waitFor((f) => f.includes('del/one › tags') && f.includes(`Deleted ${env.reg.host}/del/one@${pushed.digest.slice(0, 40)}`), 'back on the tags');
    const inspect = await skopeo(['inspect', '--tls-verify=false', `docker://${env.reg.host}/del/one@${pushed.digest}`]);
    expect(inspect.code).not.toBe(0);
  });
});

describe('transfer', () => {
  it('copies the selected tag to an OCI layout and to another repository, with the digest skopeo sees', async () => {
    const pushed = await pushRandomImage(env.reg, 'copy/src:v1', { layers: 3, layerSize: 256 * 1024 });
    ui = env.render();
    await openTags(ui, 'copy/src');
    await ui.press('c');
    await ui.waitFor((f) => /From:\s+docker:\/\/\S+\/copy\/src:v1/.test(f) && f.includes('oci:DIR'), 'the transfer form');
    // a transport skopeo has but we do not: one error line, and the field stays for a retry
    await ui.press('dir:/tmp/x', KEY.enter);
    await ui.waitFor((f) => f.includes('error: invalid reference "dir:/tmp/x": transport "dir:" is not supported'), 'the refused destination');
    await ui.press(...Array<string>(10).fill(KEY.backspace));
    await ui.press(`docker://${env.reg.host}/copy/dst:v1`, KEY.enter);
    const frame = await ui.waitFor((f) => f.includes(`Copied: docker://${env.reg.host}/copy/src:v1`), 'the copy summary');
    expect(frame).toMatch(/\[#+\]\s+100%/);
    expect(frame).toContain('4/4 blobs');
    const out = await skopeoOk(['inspect', '--tls-verify=false', `docker://${env.reg.host}/copy/dst:v1`]);
    expect((JSON.parse(out.stdout) as { Digest: string }).Digest).toBe(pushed.digest);

    await ui.press(KEY.esc);
    // the tags screen remounts and streams its list again; `c` needs a selected tag, so wait for it
    await ui.waitFor((f) => f.includes('copy/src › tags') && f.includes('1 tags') && !f.includes('loading'), 'back on the loaded tags');
    await ui.press('c');
    // typing before the form has mounted would send the first characters to the tags screen
    await ui.waitFor((f) => /From:\s+docker:\/\/\S+\/copy\/src:v1/.test(f) && f.includes('oci:DIR'), 'the transfer form again');
    const layout = join(scratch, 'layout');
    await ui.press(`oci:${layout}:v1`, KEY.enter);
    await ui.waitFor((f) => f.includes(`Copied: docker://${env.reg.host}/copy/src:v1`), 'the layout copy');
    const local = await skopeoOk(['inspect', `oci:${layout}:v1`]);
    expect((JSON.parse(local.stdout) as { Digest: string }).Digest).toBe(pushed.digest);
  });

  it('shows per-blob bars while copying over a slow link, and Esc cancels leaving nothing behind', async () => {
    await pushRandomImage(env.reg, 'slow/src:v1', { layers: 2, layerSize: 8 * 1024 * 1024, compress: 'none' });
    const link = await startLinkShaper({ target: env.reg, bitsPerSecond: 16e6 });
    ui = env.render();
    ui.store.getState().push({ screen: 'transfer', source: `docker://${link.host}/slow/src:v1` });
    await ui.waitFor((f) => f.includes('oci:DIR'), 'the transfer form');
    const layout = join(scratch, 'cancelled');
    await ui.press(`oci:${layout}:v1`, KEY.enter);
    const running = await ui.waitFor((f) => /sha256:[0-9a-f]{12}\s+\[#*\.+\]/.test(f) && /\/s/.test(f), 'a blob bar', 20_000);
    expect(running).toMatch(/of 16\.0 MiB/);
    await ui.press(KEY.esc);
    await ui.waitFor((f) => f.includes('copy cancelled'), 'the cancellation');
    expect(ui.store.getState().stack.at(-1)?.route.screen).toBe('transfer');
    const inspect = await skopeo(['inspect', `oci:${layout}:v1`]);
    expect(inspect.code).not.toBe(0);
    await ui.press(KEY.esc);
    await ui.waitFor((f) => f.includes('› registries'), 'back after the cancelled copy');
  });
});
