/**
 * The copy/pull/push commands as a user runs them (the built binary in a child process), including
 * the must-show: a copy KILLED mid-way leaves no manifest pointing at a missing blob and no partial
 * file, and a rerun finishes by transferring only what is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOciLayout, pushRandomImage, skopeoOk, startLinkShaper, startRegistry, stopAll, type PushedImage, type TestRegistry } from '@nextdeploy/testkit';
import { createRegistryClient, isIndex, manifestBlobs, parseReference, referenceIdentifier, type CopySummary } from '@nextdeploy/core';
import { CLI, makeHome } from './cli-harness.js';

afterAll(stopAll);

let a: TestRegistry;
let b: TestRegistry;
let image: PushedImage;
let home: Awaited<ReturnType<typeof makeHome>>;

beforeAll(async () => {
  [a, b, home] = await Promise.all([startRegistry(), startRegistry(), makeHome()]);
  image = await pushRandomImage(a, 'src/app:v1', { layers: 8, layerSize: 1024 * 1024 });
}, 60_000);
afterAll(() => home.remove());

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI in `cwd`; `whenOutput` sees stdout as it grows and may kill the child. */
function cli(args: string[], opts: { cwd?: string; whenOutput?: (stdout: string, child: ChildProcess) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? home.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home.dir, DOCKER_CONFIG: home.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      opts.whenOutput?.(stdout, child);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const copiedLines = (stdout: string): number => stdout.split('\n').filter((l) => l.startsWith('copied ')).length;

/** 'absent', or 'complete' when the tag and every blob it reaches exist; throws on a dangling reference. */
async function tagState(ref: string): Promise<'absent' | 'complete'> {
  const r = parseReference(ref);
  const client = createRegistryClient(r.registry);
  try {
    const head = await client.headManifest(r.repository, referenceIdentifier(r));
    if (!head) return 'absent';
    const top = await client.getManifest(r.repository, head.digest);
    const images = isIndex(top.manifest) ? await Promise.all(top.manifest.manifests.map((d) => client.getManifest(r.repository, d.digest))) : [top];
    for (const m of images) {
      for (const blob of manifestBlobs(m.manifest)) {
        if ((await client.headBlob(r.repository, blob.digest))?.size !== blob.size) throw new Error(`${ref} points at missing blob ${blob.digest}`);
      }
    }
    return 'complete';
  } finally {
    await client.transport.close?.();
  }
}

describe('a copy killed mid-way', () => {
  it('SIGKILL: the destination tag is absent (never dangling) and a rerun skips what arrived', async () => {
    // ~0.5 MB/s per connection and two at a time: 8 MiB takes several seconds, long enough to kill.
    const slow = await startLinkShaper({ target: a, bitsPerSecond: 4e6 });
    const dst = `${b.host}/killed/app:v1`;
    const killed = await cli(['copy', '--jobs', '2', `${slow.host}/src/app:v1`, dst], {
      whenOutput: (out, child) => {
        if (copiedLines(out) >= 2) child.kill('SIGKILL');
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    const arrived = copiedLines(killed.stdout);
    expect(arrived).toBeGreaterThanOrEqual(2);
    expect(arrived).toBeLessThan(9);
    expect(await tagState(dst)).toBe('absent');

    const rerun = await cli(['copy', '--json', `${a.host}/src/app:v1`, dst]);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as CopySummary;
    expect(summary.digest).toBe(image.digest);
    expect(summary.blobs.skipped).toBeGreaterThanOrEqual(arrived);
    expect(summary.blobs.copied + summary.blobs.skipped).toBe(9);
    expect(summary.bytes.moved).toBeLessThan(summary.bytes.total);
    expect(await tagState(dst)).toBe('complete');
  });

  it('SIGKILL into an existing OCI layout: the layout keeps its image and index.json untouched', async () => {
    const out = await makeHome();
    try {
      const layout = join(out.dir, 'layout');
      await buildOciLayout(layout, { tag: 'keep' });
      const before = await readFile(join(layout, 'index.json'), 'utf8');
      const slow = await startLinkShaper({ target: a, bitsPerSecond: 4e6 });
      const killed = await cli(['copy', '--jobs', '2', `${slow.host}/src/app:v1`, `oci:${layout}:new`], {
        whenOutput: (o, child) => {
          if (copiedLines(o) >= 1) child.kill('SIGKILL');
        },
      });
      expect(killed.signal).toBe('SIGKILL');
      expect(await readFile(join(layout, 'index.json'), 'utf8')).toBe(before);
      await skopeoOk(['inspect', `oci:${layout}:keep`]);
      const rerun = await cli(['copy', '--json', `${a.host}/src/app:v1`, `oci:${layout}:new`]);
      expect(rerun.code).toBe(0);
      await skopeoOk(['inspect', `oci:${layout}:new`]);
      await skopeoOk(['inspect', `oci:${layout}:keep`]);
    } finally {
      await out.remove();
    }
  });

  it('SIGINT: exits 130 with one line and leaves no partial tarball', async () => {
    const out = await makeHome();
    try {
      const slow = await startLinkShaper({ target: a, bitsPerSecond: 4e6 });
      const started = { at: 0 };
      const r = await cli(['copy', '--jobs', '2', `${slow.host}/src/app:v1`, `docker-archive:${join(out.dir, 'app.tar')}:acme/app:v1`], {
        whenOutput: (o, child) => {
          if (copiedLines(o) >= 1 && started.at === 0) {
            started.at = performance.now();
            child.kill('SIGINT');
          }
        },
      });
      expect(r.code).toBe(130);
      expect(performance.now() - started.at).toBeLessThan(5_000);
      expect(r.stderr.trim()).toBe('nextdeploy-tui: error: interrupted');
      expect(await readdir(out.dir)).toEqual([]);
    } finally {
      await out.remove();
    }
  });
});

describe('pull and push', () => {
  it('pull writes NAME.tar tagged with REF, and push sends it to another registry', async () => {
    const out = await makeHome();
    try {
      const pulled = await cli(['pull', `${a.host}/src/app:v1`], { cwd: out.dir });
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).toMatch(/^Copied: docker:\/\/.* -> docker-archive:.*app\.tar:.*src\/app:v1$/m);
      // skopeo finds the image by the RepoTag we recorded
      const inspected = JSON.parse((await skopeoOk(['inspect', `docker-archive:${join(out.dir, 'app.tar')}:${a.host}/src/app:v1`])).stdout) as { Layers: string[] };
      expect(inspected.Layers).toHaveLength(8);

      const pushed = await cli(['push', '--json', join(out.dir, 'app.tar'), `${b.host}/pushed/app:v1`]);
      expect(pushed.code).toBe(0);
      const summary = JSON.parse(pushed.stdout) as CopySummary;
      expect(summary).toMatchObject({ rewritten: 'compressed-layers', blobs: { total: 9, copied: 9 } });
      expect(await tagState(`${b.host}/pushed/app:v1`)).toBe('complete');
    } finally {
      await out.remove();
    }
  });

  it('reports a bad location in one line naming the valid transports, exit 2, no file written', async () => {
    const r = await cli(['copy', `${a.host}/src/app:v1`, 'dir:/tmp/nowhere']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nextdeploy-tui: error: invalid reference "dir:\/tmp\/nowhere": transport "dir:" is not supported; valid transports: .*\n$/);
    const missing = await cli(['copy', `${a.host}/src/nope:v1`, `oci:${join(home.dir, 'never')}`]);
    expect(missing.code).toBe(4);
    expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(await readdir(home.dir)).not.toContain('never');
  });
});
