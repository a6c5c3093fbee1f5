import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, DigestMismatchError } from '../src/errors/index.js';
import { OciLayoutDestination, OciLayoutSource, REF_NAME_ANNOTATION, parseOciLayoutReference } from '../src/layout/index.js';
import { buildOciLayout } from '@nextdeploy/testkit';
import { buildImage, copyImage, sha256, writeOciLayout, type FixtureImage } from './layout-fixtures.js';

const run = promisify(execFile);
async function skopeo(...args: string[]): Promise<string> {
  return (await run('skopeo', ['--insecure-policy', ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

let work: string;
let imageA: FixtureImage;
let imageB: FixtureImage;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'layout-oci-'));
  imageA = await buildImage({ layers: 3 });
  imageB = await buildImage({ layers: 2, architecture: 'arm64' });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('parseOciLayoutReference', () => {
  it('splits at the first colon like skopeo', () => {
    expect(parseOciLayoutReference('oci:/tmp/x:v1')).toEqual({ dir: '/tmp/x', tag: 'v1' });
    expect(parseOciLayoutReference('/tmp/x')).toEqual({ dir: '/tmp/x' });
    expect(parseOciLayoutReference('out:repo/name:1.0')).toEqual({ dir: 'out', tag: 'repo/name:1.0' });
    expect(() => parseOciLayoutReference('oci::v1')).toThrow(/no directory/);
    expect(() => parseOciLayoutReference('oci:dir:bad tag')).toThrow(/may only hold/);
  });
});

describe('OciLayoutSource', () => {
  it('selects by ref name, takes a lone image without a tag, and lists choices when ambiguous', async () => {
    const one = join(work, 'src-one');
    await writeOciLayout(one, [{ image: imageA, tag: 'v1' }]);
    expect((await new OciLayoutSource(one).resolve()).digest).toBe(imageA.descriptor.digest);
    const top = await new OciLayoutSource(one, { tag: 'v1' }).resolve();
    expect(top.bytes.equals(imageA.manifest)).toBe(true);
    await expect(new OciLayoutSource(one, { tag: 'nope' }).resolve()).rejects.toThrow(/no image tagged "nope".*available: v1/);

    const two = join(work, 'src-two');
    await writeOciLayout(two, [{ image: imageA, tag: 'a' }, { image: imageB, tag: 'b' }]);
    const err = await new OciLayoutSource(two).resolve().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toMatch(/lists 2 images; name one as oci:.*:TAG; available: a, b/);
    expect((await new OciLayoutSource(two, { tag: 'b' }).resolve()).digest).toBe(imageB.descriptor.digest);
  });

  it('streams blobs verified against the descriptor and fails on corrupted content', async () => {
    const dir = join(work, 'src-corrupt');
    await writeOciLayout(dir, [{ image: imageA, tag: 'v1' }]);
    const layer = imageA.layers[0]!;
    const source = new OciLayoutSource(dir, { tag: 'v1' });
    const good = await source.getBlob(layer.descriptor);
    const chunks: Buffer[] = [];
    for await (const c of good) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(layer.gz)).toBe(true);

    const flipped = Buffer.from(layer.gz);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 1) ^ 0xff, flipped.length - 1);
    await writeFile(join(dir, 'blobs', 'sha256', layer.descriptor.digest.slice(7)), flipped);
    await expect(text(await source.getBlob(layer.descriptor))).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('refuses traversal digests and a missing marker file', async () => {
    const dir = join(work, 'src-evil');
    await writeOciLayout(dir, [{ image: imageA, tag: 'v1' }]);
    const evil = { schemaVersion: 2, manifests: [{ mediaType: imageA.descriptor.mediaType, digest: 'sha256/../../../../etc/passwd', size: 10 }] };
    await writeFile(join(dir, 'index.json'), JSON.stringify(evil));
    await expect(new OciLayoutSource(dir).resolve()).rejects.toThrow(ArchiveError);
    await expect(new OciLayoutSource(dir).getBlob({ mediaType: 'x', digest: 'sha256:../../etc/passwd' as never, size: 1 })).rejects.toThrow(/refusing blob digest/);
    await expect(new OciLayoutSource(join(work, 'nowhere')).resolve()).rejects.toThrow(/not an OCI image layout/);
  });

  it('reads a layout skopeo wrote', async () => {
    const fixture = join(work, 'src-for-skopeo');
    await writeOciLayout(fixture, [{ image: imageA, tag: 'v1' }]);
    const written = join(work, 'skopeo-written');
    await skopeo('copy', `oci:${fixture}:v1`, `oci:${written}:copied`);
    const out = join(work, 'from-skopeo');
    const top = await copyImage(new OciLayoutSource(written, { tag: 'copied' }), new OciLayoutDestination(out, { tag: 'again' }));
    expect(top.digest).toBe(imageA.descriptor.digest);
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8')).manifests[0].annotations[REF_NAME_ANNOTATION]).toBe('again');
  });
});

describe('OciLayoutDestination', () => {
  it('writes a layout skopeo reads with the identical manifest digest', async () => {
    const fixture = join(work, 'dst-fixture');
    await writeOciLayout(fixture, [{ image: imageA }]);
    const out = join(work, 'dst-out');
    await copyImage(new OciLayoutSource(fixture), new OciLayoutDestination(out), 'v1');
    const raw = await skopeo('inspect', '--raw', `oci:${out}:v1`);
    expect(sha256(Buffer.from(raw))).toBe(imageA.descriptor.digest);
    const inspected = JSON.parse(await skopeo('inspect', `oci:${out}:v1`)) as { Digest: string; Layers: string[] };
    expect(inspected.Digest).toBe(imageA.descriptor.digest);
    expect(inspected.Layers).toEqual(imageA.layers.map((l) => l.descriptor.digest));
    // skopeo re-reads every blob and checks its digest while copying
    await skopeo('copy', `oci:${out}:v1`, `oci:${join(work, 'dst-out-check')}:v1`);
    expect((await listFiles(out)).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('copies a multi-platform index with its children', async () => {
    const fixture = join(work, 'dst-index-fixture');
    const built = await buildOciLayout(fixture, {
      tag: 'multi',
      layers: 2,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    });
    const out = join(work, 'dst-index-out');
    await copyImage(new OciLayoutSource(fixture, { tag: 'multi' }), new OciLayoutDestination(out, { tag: 'multi' }));
    expect(sha256(Buffer.from(await skopeo('inspect', '--raw', `oci:${out}:multi`)))).toBe(built.digest);
    for (const child of built.images) expect(await new OciLayoutDestination(out).hasBlob({ mediaType: '', digest: child.layers[1]!.digest as never, size: child.layers[1]!.size })).toBe(true);
    await skopeo('copy', '--all', `oci:${out}:multi`, `oci:${join(work, 'dst-index-check')}:multi`);
  });

  it('keeps the other images of an existing layout and moves a re-used tag', async () => {
    const dir = join(work, 'dst-existing');
    await writeOciLayout(dir, [{ image: imageA, tag: 'a' }, { image: imageA, tag: 'keep' }]);
    const fixtureB = join(work, 'dst-existing-b');
    await writeOciLayout(fixtureB, [{ image: imageB }]);
    await copyImage(new OciLayoutSource(fixtureB), new OciLayoutDestination(dir, { tag: 'a' }));
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    const byTag = Object.fromEntries(index.manifests.map((m) => [m.annotations[REF_NAME_ANNOTATION], m.digest]));
    expect(byTag).toEqual({ keep: imageA.descriptor.digest, a: imageB.descriptor.digest });
    expect(JSON.parse(await skopeo('inspect', `oci:${dir}:keep`)).Digest).toBe(imageA.descriptor.digest);
    expect(JSON.parse(await skopeo('inspect', `oci:${dir}:a`)).Digest).toBe(imageB.descriptor.digest);
  });

  it('abort leaves a new directory absent and an existing layout byte-for-byte unchanged', async () => {
    const fresh = join(work, 'dst-abort-new');
    const dest = new OciLayoutDestination(fresh, { tag: 'v1' });
    const layer = imageA.layers[0]!;
    await dest.putBlob(layer.descriptor, () => Readable.from([layer.gz]));
    await dest.putManifest({ digest: imageA.descriptor.digest, mediaType: imageA.descriptor.mediaType, bytes: imageA.manifest }, { root: true });
    await dest.abort();
    await expect(readdir(fresh)).rejects.toMatchObject({ code: 'ENOENT' });

    const existing = join(work, 'dst-abort-existing');
    await writeOciLayout(existing, [{ image: imageA, tag: 'a' }]);
    const before = await listFiles(existing);
    const indexBefore = await readFile(join(existing, 'index.json'));
    const dest2 = new OciLayoutDestination(existing, { tag: 'b' });
    const other = imageB.layers[0]!;
    await dest2.putBlob(other.descriptor, () => Readable.from([other.gz]));
    const bad = imageB.layers[1]!;
    await expect(dest2.putBlob(bad.descriptor, () => Readable.from([other.gz]))).rejects.toBeInstanceOf(DigestMismatchError);
    await dest2.abort();
    expect(await listFiles(existing)).toEqual(before);
    expect((await readFile(join(existing, 'index.json'))).equals(indexBefore)).toBe(true);
    await expect(dest2.commit()).rejects.toThrow(/already committed or aborted/);
  });

  it('skips a blob already present under its digest name without reading the body', async () => {
    const dir = join(work, 'dst-skip');
    await writeOciLayout(dir, [{ image: imageA, tag: 'a' }]);
    const dest = new OciLayoutDestination(dir);
    const layer = imageA.layers[0]!;
    expect(await dest.hasBlob(layer.descriptor)).toBe(true);
    await dest.putBlob(layer.descriptor, () => {
      throw new Error('body must not be opened for a blob that is already there');
    });
    await dest.abort();
  });
});
