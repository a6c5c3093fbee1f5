import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { pushRandomImage, skopeoCreds, skopeoOk, startRegistry, stopAll, type PushedImage, type TestRegistry } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

let reg: TestRegistry;
let home: Awaited<ReturnType<typeof makeHome>>;
let single: PushedImage;
let multi: PushedImage;

beforeAll(async () => {
  home = await makeHome();
  reg = await startRegistry();
  single = await pushRandomImage(reg, 'acme/app:v1', { layers: 3 });
  multi = await pushRandomImage(reg, 'acme/multi:v1', {
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
  });
});
afterAll(() => home.remove());

async function skopeoDigest(ref: string): Promise<string> {
  const out = await skopeoOk(['inspect', ...skopeoCreds(reg), `docker://${ref}`]);
  return (JSON.parse(out.stdout) as { Digest: string }).Digest;
}

interface InspectJson {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  config?: { digest: string; size: number };
  layers?: { digest: string; size: number; mediaType: string }[];
  layersSize?: number;
  manifests?: { platform: string | null; digest: string }[];
}

describe('inspect', () => {
  it('shows the same digest as skopeo inspect, with config and layers', async () => {
    const r = await runCli(['inspect', `${reg.host}/acme/app:v1`], { home: home.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const digest = await skopeoDigest(`${reg.host}/acme/app:v1`);
    expect(digest).toBe(single.digest);
    expect(r.stdout).toMatch(new RegExp(`^Digest: +${digest}$`, 'm'));
    expect(r.stdout).toMatch(/^Layers: +3, /m);
    for (const layer of single.images[0]!.layers) expect(r.stdout).toContain(layer.digest);
  });

  it('--json is one document with the exact sizes', async () => {
    const r = await runCli(['inspect', '--json', `${reg.host}/acme/app:v1`], { home: home.dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as InspectJson;
    const image = single.images[0]!;
    expect(doc).toMatchObject({ reference: `${reg.host}/acme/app:v1`, digest: single.digest, mediaType: single.mediaType, size: single.size });
    expect(doc.config).toMatchObject({ digest: image.configDigest, size: image.configSize });
    expect(doc.layers?.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    expect(doc.layersSize).toBe(image.layers.reduce((s, l) => s + l.size, 0));
  });

  it('--raw prints the manifest bytes exactly (same as skopeo inspect --raw, hashing to the digest)', async () => {
    const r = await runCli(['inspect', '--raw', `${reg.host}/acme/app:v1`], { home: home.dir });
    expect(r.code).toBe(0);
    const raw = await skopeoOk(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/acme/app:v1`]);
    expect(r.stdoutBytes.toString('utf8')).toBe(raw.stdout);
    expect(`sha256:${createHash('sha256').update(r.stdoutBytes).digest('hex')}`).toBe(single.digest);
  });

  it('lists the platforms of an index', async () => {
    const r = await runCli(['inspect', '--json', `${reg.host}/acme/multi:v1`], { home: home.dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as InspectJson;
    expect(doc.digest).toBe(await skopeoDigest(`${reg.host}/acme/multi:v1`));
    expect(doc.manifests?.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(doc.manifests?.map((m) => m.digest)).toEqual(multi.images.map((i) => i.manifestDigest));

    const text = await runCli(['inspect', `${reg.host}/acme/multi:v1`], { home: home.dir });
    expect(text.stdout).toMatch(/^Platforms: +2$/m);
    expect(text.stdout).toMatch(/^linux\/arm64\/v8 +sha256:/m);
  });

  it('accepts a digest reference', async () => {
    const r = await runCli(['inspect', '--json', `${reg.host}/acme/multi@${multi.images[1]!.manifestDigest}`], { home: home.dir });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as InspectJson).digest).toBe(multi.images[1]!.manifestDigest);
  });

  it('a missing tag exits 4 with one line naming it', async () => {
    const r = await runCli(['inspect', `${reg.host}/acme/app:nope`], { home: home.dir });
    expect(r.code).toBe(4);
    expect(expectOneErrorLine(r)).toContain(`${reg.host}/acme/app:nope not found`);
    expect(r.stdout).toBe('');
  });
});
